package shop.routing;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Who may sign in, from {@code routing.users}: entries {@code name:role:hash}, where the hash is Jakarta Security's
 * {@link Pbkdf2PasswordHash} form ({@code PBKDF2WithHmacSHA256:iterations:salt:hash}); no password is stored. Only the
 * demo profile has users (README, Run it); without it nobody may change the subscriptions. A name nobody has costs the
 * same hash as a wrong password, so the time of a 401 does not tell which names exist.
 */
@ApplicationScoped
public class Users implements IdentityStore {

    private record User(String role, String passwordHash) {
    }

    @Inject
    Pbkdf2PasswordHash hash;

    private Map<String, User> users;
    /** A hash as strong as a real user's that no password matches: checked for a name nobody has (see validate). */
    private String unknownNameHash;

    @PostConstruct
    void load() {
        List<String> entries = ConfigProvider.getConfig().getOptionalValues("routing.users", String.class).orElse(List.of());
        users = entries.stream().map(e -> e.split(":", 3)).collect(Collectors.toUnmodifiableMap(e -> e[0], e -> new User(e[1], e[2])));
        users.values().stream().findFirst().ifPresent(user -> {
            String[] algorithmAndIterations = user.passwordHash().split(":", 3); // algorithm:iterations:salt:hash
            hash.initialize(Map.of("Pbkdf2PasswordHash.Algorithm", algorithmAndIterations[0],
                    "Pbkdf2PasswordHash.Iterations", algorithmAndIterations[1]));
            unknownNameHash = randomHashLike(user.passwordHash());
        });
    }

    /**
     * Random salt and hash bytes of a real hash's sizes, with its algorithm and iterations: verifying a password
     * against it costs one full check, and none matches. Made without hashing: hashing a random password here, when
     * the first sign-in creates this store, cost that sign-in two hashes, a signal nobody needs to see.
     */
    static String randomHashLike(String real) {
        String[] parts = real.split(":"); // algorithm:iterations:base64(salt):base64(hash)
        SecureRandom random = new SecureRandom();
        byte[] salt = new byte[Base64.getDecoder().decode(parts[2]).length];
        byte[] hash = new byte[Base64.getDecoder().decode(parts[3]).length];
        random.nextBytes(salt);
        random.nextBytes(hash);
        return parts[0] + ":" + parts[1] + ":" + Base64.getEncoder().encodeToString(salt) + ":" + Base64.getEncoder().encodeToString(hash);
    }

    // tag::validate[]
    @Override
    public CredentialValidationResult validate(Credential credential) {
        if (!(credential instanceof UsernamePasswordCredential login) || users.isEmpty()) {
            return CredentialValidationResult.INVALID_RESULT;
        }
        if (!users.containsKey(login.getCaller())) {
            // as slow as a wrong password, or a fast 401 would tell a guesser which names exist
            hash.verify(login.getPassword().getValue(), unknownNameHash);
            return CredentialValidationResult.INVALID_RESULT;
        }
        User user = users.get(login.getCaller());
        // verify() recomputes the PBKDF2 hash with the stored salt and iterations, and compares in constant time.
        return hash.verify(login.getPassword().getValue(), user.passwordHash())
                ? new CredentialValidationResult(login.getCaller(), Set.of(user.role()))
                : CredentialValidationResult.INVALID_RESULT;
    }
    // end::validate[]
}
