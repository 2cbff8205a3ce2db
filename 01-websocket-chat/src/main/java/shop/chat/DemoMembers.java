package shop.chat;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * The chat's registered members, as a Jakarta Security {@link IdentityStore}: it checks a name and password against
 * the member's stored {@link Pbkdf2PasswordHash} hash. {@code SessionResource} asks it through the container's
 * {@code IdentityStoreHandler}, never directly.
 *
 * <p>Teaching scope: three demo members, seeded here, their passwords listed in the README. A shop keeps its members
 * in a database ({@code @DatabaseIdentityStoreDefinition}) or a directory ({@code @LdapIdentityStoreDefinition}) and
 * keeps the rest as it is. Only the hashes are here: a hash does not give the password back.
 */
@ApplicationScoped
public class DemoMembers implements IdentityStore {

    // tag::hash[]
    /**
     * How passwords are hashed: PBKDF2 with HMAC-SHA-512 and 210,000 iterations (OWASP's advice for it), a random
     * 32-byte salt per password, a 32-byte key. The seeds below were made with these parameters; a stored hash
     * carries its own algorithm, iterations and salt, so raising the iterations later keeps old hashes valid.
     */
    static final Map<String, String> HASH_PARAMETERS = Map.of(
            "Pbkdf2PasswordHash.Algorithm", "PBKDF2WithHmacSHA512",
            "Pbkdf2PasswordHash.Iterations", "210000",
            "Pbkdf2PasswordHash.SaltSizeBytes", "32",
            "Pbkdf2PasswordHash.KeySizeBytes", "32");

    /** The demo members' stored hashes, by name (the README lists their passwords). */
    private static final Map<String, String> HASHES = Map.of(
            "ada", "PBKDF2WithHmacSHA512:210000:ErhD3FFrfeKsfYlPDM8GYhQ7J+u73uAOiU53HhtjGyA=:OHoE3fQg4bU5Kn8CfnI7RzyKsr6p3ldPuSzJcYNIMEk=",
            "alan", "PBKDF2WithHmacSHA512:210000:sQ9Cd0i2AMozks/9AMaD61kOV3shWsfI+vQI35fmT+A=:Kka89Lp9kCDQ/Of+p0gU0/onnQtQ951ts9ITdzeHCxw=",
            "barbara", "PBKDF2WithHmacSHA512:210000:ChF24GvA94PvSY3aJKGS55paBDyrJIQ3izvMThzNLLQ=:1RSzzxlWe+HG/YRwbbmJqExIay4U4IUgfWpZhwBrbY8=");
    // end::hash[]

    @Inject
    Pbkdf2PasswordHash passwordHash;

    /** What an unknown name is checked against (see {@link #unknownNameHash}): made with the store, before any sign-in. */
    private final String unknownNameHash = unknownNameHash(HASH_PARAMETERS);

    @PostConstruct
    void initialize() {
        passwordHash.initialize(HASH_PARAMETERS);
    }

    /**
     * A hash no password matches, with the parameters of a real one: a random salt and random hash bytes, in the
     * encoded form Pbkdf2PasswordHash generates and verifies ({@code algorithm:iterations:base64(salt):base64(hash)}).
     * Verifying a password against it costs one full check, as for a member. It is made without hashing, so at once:
     * hashing a random password when the store was created cost the first sign-in of each run two hashes, a signal
     * nobody needs to see.
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

    // tag::validate[]
    /** Valid, with the member's name as the caller, only for a member's name with that member's password. */
    public CredentialValidationResult validate(UsernamePasswordCredential credential) {
        String stored = HASHES.get(canonical(credential.getCaller()));
        // An unknown name costs the same hash as a known one: the answer's timing does not tell which names exist.
        boolean matches = passwordHash.verify(credential.getPassword().getValue(), stored != null ? stored : unknownNameHash);
        return stored != null && matches
                ? new CredentialValidationResult(canonical(credential.getCaller()))
                : CredentialValidationResult.INVALID_RESULT;
    }
    // end::validate[]

    /** True if {@code name}, in any case, is a member's: a guest may not sign in under it. */
    public boolean isMember(String name) {
        return HASHES.containsKey(canonical(name));
    }

    private static String canonical(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
