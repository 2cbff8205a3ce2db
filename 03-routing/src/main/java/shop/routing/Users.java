package shop.routing;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Who may sign in, from {@code routing.users}: entries {@code name:role:hash}, where the hash is Jakarta Security's
 * {@link Pbkdf2PasswordHash} form ({@code PBKDF2WithHmacSHA256:iterations:salt:hash}); no password is stored. Only the
 * demo profile has users (README, Run it); without it nobody may change the subscriptions.
 */
@ApplicationScoped
public class Users implements IdentityStore {

    private record User(String role, String passwordHash) {
    }

    @Inject
    Pbkdf2PasswordHash hash;

    private Map<String, User> users;

    @PostConstruct
    void load() {
        List<String> entries = ConfigProvider.getConfig().getOptionalValues("routing.users", String.class).orElse(List.of());
        users = entries.stream().map(e -> e.split(":", 3)).collect(Collectors.toUnmodifiableMap(e -> e[0], e -> new User(e[1], e[2])));
    }

    // tag::validate[]
    @Override
    public CredentialValidationResult validate(Credential credential) {
        if (!(credential instanceof UsernamePasswordCredential login) || !users.containsKey(login.getCaller())) {
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
