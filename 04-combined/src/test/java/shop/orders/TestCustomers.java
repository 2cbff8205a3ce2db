package shop.orders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The test run's customers: each test signs in as customers of its own (a page replays all of a customer's orders),
 * added to the file the shop reads at every sign-in ({@code shop.customers-file}), as an operator would add one.
 * The hash is in Pbkdf2PasswordHash's documented format, {@code algorithm:iterations:base64(salt):base64(hash)}, with
 * the format's minimum iterations: a test sign-in then costs milliseconds, the demo customers' 600,000 do not.
 */
final class TestCustomers {

    static final String PASSWORD = "test-customer-password";
    static final Path FILE = Path.of(System.getProperty("shop.test-customers"));
    private static final String HASH = hash(PASSWORD);

    private TestCustomers() {
    }

    /** Adds a customer with {@link #PASSWORD} and returns the name. */
    static synchronized String add(String name) {
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, name + "=" + HASH + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What a shop started by a test needs to know about its customers: their file, and that the tests' own address is
     * a proxy (so an X-Forwarded-For header stands for another client) left out of the per-address limit.
     */
    static Map<String, String> serverProperties() {
        return Map.of("shop.customers-file", FILE.toString(),
                "shop.trusted-proxies", "127.0.0.1,0:0:0:0:0:0:0:1",
                "shop.unlimited-addresses", "127.0.0.1,0:0:0:0:0:0:0:1");
    }

    private static String hash(String password) {
        try {
            byte[] salt = new byte[32];
            new SecureRandom().nextBytes(salt);
            byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 1024, 256)).getEncoded();
            return "PBKDF2WithHmacSHA256:1024:" + Base64.getEncoder().encodeToString(salt) + ":"
                    + Base64.getEncoder().encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        }
    }
}
