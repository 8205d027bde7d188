package clinic.conformance.server.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * A project's API keys as Supabase issues them since 2025 (contract §1 Identity, v4): a secret key
 * ({@code sb_secret_…}, the server's, acting as {@code service_role}) and a publishable key
 * ({@code sb_publishable_…}, the browser's, acting as {@code anon}). They are not JWTs: the gateway recognises them
 * and stands a short-lived JWT of their role in for them. Never printed.
 */
public record ApiKeys(Optional<String> secret, Optional<String> publishable) {
    public static final String SECRET_PREFIX = "sb_secret_";
    public static final String PUBLISHABLE_PREFIX = "sb_publishable_";
    private static final SecureRandom RANDOM = new SecureRandom();

    public ApiKeys {
        secret.filter(key -> !key.startsWith(SECRET_PREFIX)).ifPresent(key -> {
            throw new IllegalArgumentException("SUPABASE_SECRET_KEY must start with " + SECRET_PREFIX);
        });
        publishable.filter(key -> !key.startsWith(PUBLISHABLE_PREFIX)).ifPresent(key -> {
            throw new IllegalArgumentException("SUPABASE_PUBLISHABLE_KEY must start with " + PUBLISHABLE_PREFIX);
        });
        if (secret.isPresent() != publishable.isPresent()) {
            throw new IllegalArgumentException("SUPABASE_SECRET_KEY and SUPABASE_PUBLISHABLE_KEY are set together or not at all");
        }
    }

    public static ApiKeys none() {
        return new ApiKeys(Optional.empty(), Optional.empty());
    }

    /** A fresh pair, shaped as Supabase's: the prefix and 32 random bytes. */
    public static ApiKeys generate() {
        return new ApiKeys(Optional.of(SECRET_PREFIX + random()), Optional.of(PUBLISHABLE_PREFIX + random()));
    }

    /** Whether the project has new-style keys; without them the gateway asks for none (a legacy stand-in). */
    public boolean configured() {
        return secret.isPresent();
    }

    /** The role a new-style key acts as, if {@code presented} is one of this project's keys. */
    public Optional<String> roleOf(String presented) {
        if (matches(secret, presented)) {
            return Optional.of("service_role");
        }
        if (matches(publishable, presented)) {
            return Optional.of("anon");
        }
        return Optional.empty();
    }

    public static boolean looksNewStyle(String key) {
        return key.startsWith(SECRET_PREFIX) || key.startsWith(PUBLISHABLE_PREFIX);
    }

    private static boolean matches(Optional<String> key, String presented) {
        return key.isPresent() && presented != null && MessageDigest.isEqual(
                key.get().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    private static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "ApiKeys[" + (configured() ? "sb_secret_<hidden>, sb_publishable_<hidden>" : "none") + "]";
    }
}
