package course.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code localhost} (and 127.0.0.1), made at test time with the same
 * openssl and keytool commands a learner runs by hand: PEM files for RabbitMQ, a PKCS12 keystore for
 * Payara Micro, a PKCS12 truststore for the clients. {@link #close()} deletes them.
 */
public final class SelfSignedCertificate implements AutoCloseable {

    private final Path dir;
    private final String alias;
    private final String password;

    private SelfSignedCertificate(Path dir, String alias, String password) {
        this.dir = dir;
        this.alias = alias;
        this.password = password;
    }

    /** Makes a key and certificate valid for one day, under the given alias, with a password of this run's own. */
    public static SelfSignedCertificate forLocalhost(String alias) {
        try {
            // Readable by this user only, as a real key is by its server only: the private RabbitMQ
            // node that shows it runs as this user too (PrivateBroker).
            Path dir = Files.createTempDirectory("shop-tls-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            SelfSignedCertificate certificate = new SelfSignedCertificate(dir, alias, UUID.randomUUID().toString());
            certificate.make();
            return certificate;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // tag::make[]
    private void make() throws IOException {
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", "key.pem", "-out", "cert.pem");
        run("openssl", "pkcs12", "-export", "-name", alias, "-in", "cert.pem", "-inkey", "key.pem",
                "-out", "keystore.p12", "-passout", "pass:" + password);
        run(keytool(), "-importcert", "-noprompt", "-alias", alias, "-file", "cert.pem",
                "-keystore", "truststore.p12", "-storetype", "PKCS12", "-storepass", password);
        Files.setPosixFilePermissions(privateKey(), PosixFilePermissions.fromString("rw-------"));
    }
    // end::make[]

    public Path certificate() {
        return dir.resolve("cert.pem");
    }

    public Path privateKey() {
        return dir.resolve("key.pem");
    }

    /** Key and certificate, for the server that shows the certificate (Payara Micro's --sslcert alias). */
    public Path keystore() {
        return dir.resolve("keystore.p12");
    }

    /** The certificate alone, for the clients that must trust it. */
    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    public String alias() {
        return alias;
    }

    public String password() {
        return password;
    }

    /** An SSLContext that trusts this certificate, and nothing else: for the test's own clients. */
    public SSLContext trustingContext() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(KeyStore.getInstance(truststore().toFile(), password.toCharArray()));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the test truststore " + truststore(), e);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run(String... command) throws IOException {
        List<String> line = new ArrayList<>(List.of(command));
        Process process;
        try {
            process = new ProcessBuilder(line).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + command[0] + ": this test makes its certificate with the "
                    + "openssl command line tool and the JDK's keytool, so install OpenSSL (Debian: apt-get install openssl).", e);
        }
        try {
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", line) + " failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The JDK's keytool, next to the java running the tests. */
    private static String keytool() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "keytool";
    }
}
