package shop.orders;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The shop's customers as Jakarta Security sees them: an {@link IdentityStore} that checks a name and a
 * password against PBKDF2 hashes, and nothing else. {@link SessionResource} asks it through the container's
 * {@code IdentityStoreHandler}. The demo's customers ({@code shop.demo=true} only) come from
 * {@code shop.demo-customers}, each hashed with Pbkdf2PasswordHash at its first sign-in; more come from
 * {@code shop.customers-file}, lines of {@code name=hash} read at every sign-in, so adding one needs no restart.
 *
 * <p>Teaching scope: a real shop keeps its customers in a database ({@code @DatabaseIdentityStoreDefinition}
 * with the same {@code Pbkdf2PasswordHash}) or behind its identity provider; the rest stays as it is.
 */
@ApplicationScoped
public class DemoCustomers implements IdentityStore {

    private static final Logger LOG = Logger.getLogger(DemoCustomers.class.getName());

    // tag::hash-parameters[]
    /**
     * PBKDF2 with HMAC-SHA256, 600,000 iterations (OWASP's figure for it), a 32-byte salt and a 32-byte hash.
     * Each hash carries its own algorithm, iterations and salt, so raising these later keeps old hashes valid.
     */
    static final Map<String, String> HASH_PARAMETERS = Map.of(
            "Pbkdf2PasswordHash.Algorithm", "PBKDF2WithHmacSHA256",
            "Pbkdf2PasswordHash.Iterations", "600000",
            "Pbkdf2PasswordHash.SaltSizeBytes", "32",
            "Pbkdf2PasswordHash.KeySizeBytes", "32");
    // end::hash-parameters[]

    @Inject
    Pbkdf2PasswordHash passwordHash;
    @Inject @ConfigProperty(name = "shop.demo")
    boolean demo;
    @Inject @ConfigProperty(name = "shop.demo-customers")
    String demoCustomers;
    @Inject @ConfigProperty(name = "shop.customers-file")
    Optional<String> customersFile;

    /** name -> hash of each demo customer, made at their first sign-in: nobody else pays for it. */
    private final Map<String, String> demoHashes = new ConcurrentHashMap<>();
    /** What an unknown name is checked against (see {@link #unknownNameHash}): made with the store, before any sign-in. */
    private final String unknownNameHash = unknownNameHash(HASH_PARAMETERS);

    @PostConstruct
    void init() {
        passwordHash.initialize(HASH_PARAMETERS);
    }

    // tag::validate[]
    @Override
    public CredentialValidationResult validate(Credential credential) {
        if (!(credential instanceof UsernamePasswordCredential login)) {
            return CredentialValidationResult.NOT_VALIDATED_RESULT;
        }
        String hash = hashOf(login.getCaller());
        if (hash == null) {
            // An unknown name costs what a wrong password costs: the time taken does not tell who is a customer.
            passwordHash.verify(login.getPassword().getValue(), unknownNameHash);
            return CredentialValidationResult.INVALID_RESULT;
        }
        return passwordHash.verify(login.getPassword().getValue(), hash)
                ? new CredentialValidationResult(login.getCaller())
                : CredentialValidationResult.INVALID_RESULT;
    }
    // end::validate[]

    private String hashOf(String name) {
        char[] demoPassword = demoPasswords(demo, demoCustomers).get(name);
        return demoPassword != null ? demoHashes.computeIfAbsent(name, n -> passwordHash.generate(demoPassword))
                : fileHashes().getProperty(name);
    }

    /**
     * A hash no password matches, with the parameters of a real one: a random salt and random hash bytes, in the
     * encoded form Pbkdf2PasswordHash generates and verifies ({@code algorithm:iterations:base64(salt):base64(hash)}).
     * Verifying a password against it costs one full check, as for a customer. It is made without hashing, so at once:
     * hashing a random password at the first unknown name cost that sign-in two checks (1.8-2.6 s each on a boot with
     * the C1 compiler only), which told whoever sent it that the name is nobody's.
     */
    static String unknownNameHash(Map<String, String> parameters) {
        SecureRandom random = new SecureRandom();
        byte[] salt = new byte[Integer.parseInt(parameters.get("Pbkdf2PasswordHash.SaltSizeBytes"))];
        byte[] hash = new byte[Integer.parseInt(parameters.get("Pbkdf2PasswordHash.KeySizeBytes"))];
        random.nextBytes(salt);
        random.nextBytes(hash);
        return parameters.get("Pbkdf2PasswordHash.Algorithm") + ":" + parameters.get("Pbkdf2PasswordHash.Iterations")
                + ":" + Base64.getEncoder().encodeToString(salt) + ":" + Base64.getEncoder().encodeToString(hash);
    }

    /** shop.customers-file: one {@code name=hash} line per customer, in Pbkdf2PasswordHash's format. */
    private Properties fileHashes() {
        Properties hashes = new Properties();
        if (customersFile.isPresent()) {
            try (Reader in = Files.newBufferedReader(Path.of(customersFile.get()), StandardCharsets.UTF_8)) {
                hashes.load(in);
            } catch (IOException e) {
                LOG.warning(" [!] Cannot read shop.customers-file " + customersFile.get() + ": " + e.getMessage());
            }
        }
        return hashes;
    }

    // tag::demo-only[]
    /** The demo customers' passwords, from {@code name:password,...}; none at all outside the demo. */
    static Map<String, char[]> demoPasswords(boolean demo, String list) {
        Map<String, char[]> passwords = new LinkedHashMap<>();
        if (!demo) {
            return passwords; // their passwords are printed in the README: anywhere real, nobody signs in with them
        }
        Arrays.stream(list.split(",")).map(String::strip).filter(entry -> entry.contains(":")).forEach(entry ->
                passwords.put(entry.substring(0, entry.indexOf(':')), entry.substring(entry.indexOf(':') + 1).toCharArray()));
        return passwords;
    }
    // end::demo-only[]
}
