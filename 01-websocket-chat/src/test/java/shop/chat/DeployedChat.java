package shop.chat;

import course.testkit.ArquillianJit;
import course.testkit.ModuleWar;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URL;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The base of every black-box test of this module: Arquillian deploys the module's real WAR to a real
 * Payara Micro (one boot per test class), and the test drives it from outside as a user would.
 */
@ExtendWith({ArquillianJit.class, ArquillianExtension.class})
@RunAsClient
abstract class DeployedChat {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ModuleWar.asRoot("chat");
    }

    @ArquillianResource
    URL base;

    static boolean isMessage(JsonObject frame) {
        return "message".equals(frame.getString("type"));
    }

    static boolean isPresence(JsonObject frame, String event, String user) {
        return "presence".equals(frame.getString("type")) && event.equals(frame.getString("event"))
                && user.equals(frame.getString("user"));
    }

    /** Who is online, from the presence frame a joiner gets (the others' presence frames carry no list). */
    static List<String> online(JsonObject presence) {
        return presence.getJsonArray("online").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }
}
