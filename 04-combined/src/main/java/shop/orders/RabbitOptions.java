package shop.orders;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.jms.admin.RMQConnectionFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** What this module's broker connections add to {@link Rabbit}'s (the same file in 02 and 04): TLS, when rabbitmq.tls is on. */
@ApplicationScoped
public class RabbitOptions {

    @Inject @ConfigProperty(name = "rabbitmq.tls")
    boolean tls;
    @Inject @ConfigProperty(name = "rabbitmq.tls.truststore")
    Optional<String> truststore;
    @Inject @ConfigProperty(name = "rabbitmq.tls.truststore-password")
    Optional<String> truststorePassword;

    @Inject
    ShopSettings settings;

    // tag::step-bound[]
    /**
     * How long a step service's onMessage may take: the step's work, the wait for the confirms of what it published
     * (shop.confirm-timeout-ms at most), and as long again for the commit that acknowledges its command. The client
     * then closes the consumer's channel, the command goes back to its queue, and the watchdog starts a new consumer.
     * A commit can hang: on RabbitMQ 3.10, after the node that leads the progress stream died, a transaction that had
     * published to it got no commit-ok at all (NodeFailureIT); with the 60 s this bound was before, every step stood
     * still that long.
     */
    int onMessageTimeoutMs() {
        return Math.toIntExact(settings.workMs() + 2 * settings.confirmTimeoutMs());
    }
    // end::step-bound[]

    /** A role's user name as configured: each role's is fixed. */
    String username(String configured) {
        return configured;
    }

    void secure(RMQConnectionFactory factory) {
        if (tls) {
            factory.useSslProtocol(sslContext());
            factory.setHostnameVerification(true); // the broker's certificate must name rabbitmq.host
        }
    }

    void secure(ConnectionFactory factory) {
        if (tls) {
            factory.useSslProtocol(sslContext());
            factory.enableHostnameVerification(); // the broker's certificate must name rabbitmq.host
        }
    }

    String scheme() {
        return tls ? "amqps" : "amqp";
    }

    // tag::tls[]
    /**
     * The TLS settings of amqps: trust the certificates in rabbitmq.tls.truststore (PKCS12), for
     * example a test-made self-signed one, or else the JVM's CAs, enough for a broker whose
     * certificate comes from a public CA.
     */
    private SSLContext sslContext() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(truststore.isEmpty() ? null : KeyStore.getInstance(new File(truststore.get()),
                    truststorePassword.orElse("").toCharArray()));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null); // no key managers: the app shows no certificate of its own
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot use rabbitmq.tls.truststore " + truststore.orElse("(none)") + ": " + e, e);
        }
    }
    // end::tls[]
}
