package clinic.conformance.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/** Refuses bodies over 64 KiB (413) and bodies that are not JSON (415) before any handler parses them. */
public final class RequestLimits {
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private RequestLimits() {
    }

    public static void check(Context ctx) {
        if (ctx.method() != HandlerType.POST && ctx.method() != HandlerType.PUT && ctx.method() != HandlerType.PATCH) {
            return;
        }
        if (ctx.contentLength() > MAX_BODY_BYTES) {
            throw new ApiError(413, "payload_too_large", "the body is larger than 64 KiB");
        }
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiError(415, "unsupported_media_type",
                    "send the body as application/json, got " + (type == null ? "no Content-Type" : "'" + type + "'"));
        }
        if (ctx.bodyAsBytes().length > MAX_BODY_BYTES) {
            throw new ApiError(413, "payload_too_large", "the body is larger than 64 KiB");
        }
    }
}
