package clinic.conformance.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * Refuses oversized bodies (413) and bodies that are not JSON (415) before any handler parses them. Vapi's
 * tool-calls messages carry the assistant's configuration and transcript several times over, so they get their own,
 * larger limit (contract §1 v2: 1 MiB by default).
 */
public final class RequestLimits {
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** An oversized body up to this size is read and discarded, so the client reliably gets the 413 (see below). */
    private static final long MAX_DRAINED_BYTES = 16L * 1024 * 1024;
    private final int maxVapiMessageBytes;

    public RequestLimits(int maxVapiMessageBytes) {
        this.maxVapiMessageBytes = maxVapiMessageBytes;
    }

    /** The largest body any route accepts: what the HTTP server itself must let through. */
    public int largest() {
        return Math.max(MAX_BODY_BYTES, maxVapiMessageBytes);
    }

    public void check(Context ctx) {
        if (ctx.method() != HandlerType.POST && ctx.method() != HandlerType.PUT && ctx.method() != HandlerType.PATCH) {
            return;
        }
        int limit = ctx.path().equals("/api/vapi/tools") ? maxVapiMessageBytes : MAX_BODY_BYTES;
        if (ctx.contentLength() > limit) {
            // answering before the body is read makes the server close a connection the client is still writing
            // to, and the client may see a reset instead of the 413: read it first, within reason
            drain(ctx);
            throw tooLarge(limit);
        }
        String type = ctx.contentType();
        if (ctx.contentLength() == 0 && (type == null || type.isBlank())) {
            return; // an empty body has no media type (supabase-js signs out with one)
        }
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiError(415, "unsupported_media_type",
                    "send the body as application/json, got " + (type == null ? "no Content-Type" : "'" + type + "'"));
        }
        if (ctx.bodyAsBytes().length > limit) {
            throw tooLarge(limit);
        }
    }

    private static void drain(Context ctx) {
        if (ctx.contentLength() > MAX_DRAINED_BYTES) {
            return;
        }
        try {
            ctx.req().getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        } catch (java.io.IOException e) {
            // the client gave up sending; the 413 is still the answer
        }
    }

    private static ApiError tooLarge(int limit) {
        return new ApiError(413, "payload_too_large", "the body is larger than " + limit / 1024 + " KiB");
    }
}
