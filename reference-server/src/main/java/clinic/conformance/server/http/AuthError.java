package clinic.conformance.server.http;

/** A refusal of the Supabase Auth (GoTrue) endpoints, written in GoTrue's shape: {@code {code, error_code, msg}}. */
public class AuthError extends RuntimeException {
    private final int status;
    private final String errorCode;

    public AuthError(int status, String errorCode, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    public static AuthError invalidCredentials() {
        return new AuthError(400, "invalid_credentials", "Invalid login credentials");
    }

    public static AuthError validation(String message) {
        return new AuthError(400, "validation_failed", message);
    }
}
