package clinic.conformance.server.audit;

import clinic.conformance.server.auth.Claims;
import clinic.conformance.server.auth.TokenVerifier;
import clinic.conformance.server.db.Database;
import clinic.conformance.server.http.ApiError;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /api/audit}: an org admin reads their own org's latest audit rows (RLS keeps it to that org). */
public final class AuditHandler {
    private final Database database;
    private final TokenVerifier tokens;
    private final AdminCheck admins;

    /** Whether the caller is an admin of the org its claims name (identity knows; audit sits below it). */
    @FunctionalInterface
    public interface AdminCheck {
        boolean isAdmin(Claims claims) throws java.sql.SQLException;
    }

    public AuditHandler(Database database, TokenVerifier tokens, AdminCheck admins) {
        this.database = database;
        this.tokens = tokens;
        this.admins = admins;
    }

    public void list(Context ctx) throws Exception {
        var claims = tokens.verifyHeader(ctx.header("Authorization"));
        if (!admins.isAdmin(claims)) {
            throw ApiError.forbidden("only an admin of this clinic can read its audit log");
        }
        var rows = database.asUser(claims, connection -> {
            try (var statement = connection.prepareStatement("select id, seq, actor_id, action, target_org_id, status, "
                    + "details::text, created_at, row_hash from public.audit_log order by seq desc limit 200")) {
                var found = new ArrayList<Map<String, Object>>();
                try (var result = statement.executeQuery()) {
                    while (result.next()) {
                        var row = new LinkedHashMap<String, Object>();
                        row.put("id", result.getObject("id"));
                        row.put("seq", result.getLong("seq"));
                        row.put("actor_id", result.getObject("actor_id"));
                        row.put("action", result.getString("action"));
                        row.put("target_org_id", result.getObject("target_org_id"));
                        row.put("status", result.getString("status"));
                        row.put("details", result.getString("details"));
                        row.put("created_at", result.getObject("created_at", java.time.OffsetDateTime.class));
                        row.put("row_hash", result.getString("row_hash"));
                        found.add(row);
                    }
                }
                return found;
            }
        });
        ctx.json(Map.of("success", true, "audit", rows));
    }
}
