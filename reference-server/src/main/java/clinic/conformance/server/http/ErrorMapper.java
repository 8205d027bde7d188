package clinic.conformance.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes every error in the contract's shape and maps SQLSTATEs once; never a stack trace or SQL in a response. */
public final class ErrorMapper {
    /** Context attribute: the {@link CallInProgress} being handled, so errors carry Vapi {@code results}. */
    public static final String TOOL_CALL = "vapi.toolCall";
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
    private final RefusalAudit refusals;

    /** Audits a 401 whose token was genuinely signed by us, so the actor is known. */
    @FunctionalInterface
    public interface RefusalAudit {
        void unauthorized(Context ctx, ApiError error);
    }

    public ErrorMapper(RefusalAudit refusals) {
        this.refusals = refusals;
    }

    public void register(JavalinConfig config) {
        config.routes.exception(ApiError.class, (e, ctx) -> write(ctx, e));
        // Supabase Auth's own error shape on /auth/v1, so clients written for Supabase read it unchanged
        // GoTrue answers in two shapes: the newer one when the client names the 2024-01-01 API (supabase-js does)
        // and says so in its answer's X-Supabase-Api-Version, which is how the client knows to read "code"
        config.routes.exception(AuthError.class, (e, ctx) -> {
            boolean named = "2024-01-01".equals(ctx.header("X-Supabase-Api-Version"));
            if (named) {
                ctx.header("X-Supabase-Api-Version", "2024-01-01");
            }
            ctx.status(e.status()).json(named ? Map.of("code", e.errorCode(), "message", e.getMessage())
                    : Map.of("code", e.status(), "error_code", e.errorCode(), "msg", e.getMessage()));
        });
        config.routes.exception(JsonProcessingException.class,
                (e, ctx) -> write(ctx, ApiError.invalidRequest("the body is not valid JSON: " + e.getOriginalMessage())));
        config.routes.exception(SQLException.class, (e, ctx) -> write(ctx, fromSql(e)));
        config.routes.exception(SQLTransientConnectionException.class, (e, ctx) -> write(ctx, ApiError.unavailable()));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> write(ctx, fromJavalin(e)));
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
            write(ctx, new ApiError(500, "internal_error", "the server could not complete the request"));
        });
        config.routes.error(404, ctx -> {
            if (ctx.result() == null) {
                write(ctx, ApiError.notFound("no route for " + ctx.method() + " " + ctx.path()));
            }
        });
        config.routes.error(405, ctx -> write(ctx, new ApiError(405, "method_not_allowed",
                ctx.method() + " is not allowed on " + ctx.path())));
    }

    /** Maps a database error to the contract: the meaning of the SQLSTATE, never its text. */
    public static ApiError fromSql(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals("23P01")) {
            return ApiError.slotConflict();
        }
        if (state.equals("42501") && String.valueOf(e.getMessage()).contains("permission denied to set role")) {
            // the server's database user lacks a role it needs: its configuration, not the caller's organization
            LOG.error("the server cannot take a database role it needs; GET /health names the missing grant");
            return new ApiError(503, "misconfigured", "the server is misconfigured and cannot serve this now");
        }
        if (state.equals("42501")) {
            return ApiError.forbidden("the database refused this for your organization");
        }
        if (state.equals("23503")) {
            // a referenced row (provider, org) that the caller cannot use: as missing as a missing one
            return ApiError.notFound("a referenced record does not exist");
        }
        if (state.equals("23505")) {
            return new ApiError(409, "conflict", "that record already exists");
        }
        if (state.startsWith("22") || state.equals("23514") || state.equals("23502")) {
            LOG.warn("database refused a value: SQLSTATE {} ({})", state, e.getMessage());
            return ApiError.invalidRequest("a value was out of range or malformed");
        }
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P03") || state.equals("53300")) {
            return ApiError.unavailable();
        }
        LOG.error("database error {}", state, e);
        return new ApiError(500, "internal_error", "the server could not complete the request");
    }

    private static ApiError fromJavalin(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 413 -> new ApiError(413, "payload_too_large", "the body is larger than 64 KiB");
            case 415 -> new ApiError(415, "unsupported_media_type", "send the body as application/json");
            case 400 -> ApiError.invalidRequest(e.getMessage());
            case 404 -> ApiError.notFound(e.getMessage());
            default -> new ApiError(e.getStatus(), "error", e.getMessage());
        };
    }

    private void write(Context ctx, ApiError error) {
        if (error.status() == 401) {
            refusals.unauthorized(ctx, error);
        }
        CallInProgress call = ctx.attribute(TOOL_CALL);
        List<?> results = call == null ? List.of() : call.errorResults(error);
        ctx.status(error.status()).json(ErrorBody.of(error, results));
    }
}
