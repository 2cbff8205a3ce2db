package shop.routing;

import course.testkit.ArquillianJit;
import course.testkit.ModuleWar;
import course.testkit.RabbitVhost;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The base of every black-box test of this module: a vhost of this run's own on the real RabbitMQ, then
 * Arquillian deploys the module's real WAR to a real Payara Micro (one boot per test class) that uses it.
 */
@ExtendWith({RabbitVhost.class, ArquillianJit.class, ArquillianExtension.class})
@RunAsClient
public abstract class DeployedRouting {

    @Deployment(testable = false)
    public static WebArchive deployment() {
        return ModuleWar.asRoot("routing");
    }

    @ArquillianResource
    protected URL base;

    protected RoutingApi api() {
        return new RoutingApi(base);
    }
}
