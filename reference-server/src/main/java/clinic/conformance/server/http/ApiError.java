package clinic.conformance.server.http;

/** A refusal in the contract's error model: HTTP status, stable code, and a message for the client. */
public class ApiError extends RuntimeException {
    private final int status;
    private final String code;

    public ApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiError invalidRequest(String message) {
        return new ApiError(400, "invalid_request", message);
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, "forbidden", message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message);
    }

    public static ApiError providerNotFound() {
        return new ApiError(404, "provider_not_found", "no provider with that provider_id in this clinic");
    }

    public static ApiError slotConflict() {
        return new ApiError(409, "slot_conflict", "the provider already has a booking that overlaps this time");
    }

    public static ApiError unavailable() {
        return new ApiError(503, "unavailable", "the service is temporarily unavailable; retry shortly");
    }
}
