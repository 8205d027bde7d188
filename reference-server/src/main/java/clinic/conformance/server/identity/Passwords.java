package clinic.conformance.server.identity;

import at.favre.lib.crypto.bcrypt.BCrypt;
import clinic.conformance.server.http.AuthError;
import java.nio.charset.StandardCharsets;

/** bcrypt, as Supabase Auth stores passwords ({@code $2a$10$…}). */
public final class Passwords {
    private static final int COST = 10;
    /** Checked against when the e-mail is unknown, so both answers take as long (no account enumeration by timing). */
    private static final String DECOY = new String(BCrypt.withDefaults().hash(COST,
            "decoy-password-never-used".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);

    public String hash(String password) {
        return new String(BCrypt.withDefaults().hash(COST, bytes(password)), StandardCharsets.UTF_8);
    }

    public boolean matches(String password, String hash) {
        boolean known = hash != null && !hash.isBlank();
        boolean verified = BCrypt.verifyer().verify(bytes(password), bytes(known ? hash : DECOY)).verified;
        return known && verified;
    }

    /** bcrypt reads at most 72 bytes; longer passwords are refused at signup rather than silently cut. */
    public static boolean fitsBcrypt(String password) {
        return bytes(password).length <= 72;
    }

    /** Refuses, as Supabase Auth does (422 {@code weak_password}), a password shorter than {@code minLength} or too long. */
    public static void check(String password, int minLength) {
        if (password == null || password.length() < minLength) {
            throw new AuthError(422, "weak_password", "Password should be at least " + minLength + " characters.");
        }
        if (!fitsBcrypt(password)) {
            throw new AuthError(422, "weak_password", "Password cannot be longer than 72 bytes.");
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
