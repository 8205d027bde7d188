package clinic.conformance.server.http;

import java.util.List;

/** The contract's error body: {@code {"success": false, "error": {...}, "results"?: [...]}}. */
public record ErrorBody(boolean success, Detail error, List<?> results) {
    public record Detail(String code, String message) {
    }

    public static ErrorBody of(ApiError error, List<?> results) {
        return new ErrorBody(false, new Detail(error.code(), error.getMessage()),
                results == null || results.isEmpty() ? null : results);
    }
}
