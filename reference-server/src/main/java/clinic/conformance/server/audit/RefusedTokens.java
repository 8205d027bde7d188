package clinic.conformance.server.audit;

import clinic.conformance.server.auth.TokenVerifier;
import clinic.conformance.server.http.ApiError;
import clinic.conformance.server.http.CallInProgress;
import clinic.conformance.server.http.ErrorMapper;
import io.javalin.http.Context;
import java.util.LinkedHashMap;

/** Writes an audit row for a refused token whose actor is known (ours, but expired, wrong audience, …). */
public final class RefusedTokens implements ErrorMapper.RefusalAudit {
    private final TokenVerifier tokens;
    private final AuditLog audit;

    public RefusedTokens(TokenVerifier tokens, AuditLog audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    @Override
    public void unauthorized(Context ctx, ApiError error) {
        tokens.authenticButRefused(ctx.header("Authorization")).ifPresent(actor -> {
            var details = new LinkedHashMap<String, Object>();
            details.put("method", ctx.method().name());
            details.put("path", ctx.path());
            details.put("reason", error.getMessage());
            CallInProgress call = ctx.attribute(ErrorMapper.TOOL_CALL);
            if (call != null) {
                details.put("tool_call_id", call.toolCallId());
            }
            audit.record(actor, "authenticate", actor.orgId(), "unauthorized", details);
        });
    }
}
