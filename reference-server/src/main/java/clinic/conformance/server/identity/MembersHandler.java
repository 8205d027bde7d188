package clinic.conformance.server.identity;

import clinic.conformance.server.audit.AuditLog;
import clinic.conformance.server.auth.Claims;
import clinic.conformance.server.auth.TokenVerifier;
import clinic.conformance.server.db.Database;
import clinic.conformance.server.http.ApiError;
import clinic.conformance.server.http.AuthError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/members}: an org admin adds a staff member or provider to their own org. The org comes from the
 * admin's token and is written to {@code raw_app_meta_data}, which only the server sets; nobody joins another org.
 */
public final class MembersHandler {
    private static final Set<String> ROLES = Set.of("staff", "provider");
    private final ObjectMapper mapper;
    private final Database database;
    private final TokenVerifier tokens;
    private final Users users;
    private final Passwords passwords;
    private final AuditLog audit;

    public MembersHandler(ObjectMapper mapper, Database database, TokenVerifier tokens, Users users, Passwords passwords,
                          AuditLog audit) {
        this.mapper = mapper;
        this.database = database;
        this.tokens = tokens;
        this.users = users;
        this.passwords = passwords;
        this.audit = audit;
    }

    public void add(Context ctx) throws Exception {
        JsonNode body = mapper.readTree(ctx.bodyAsBytes());
        String email = field(body, "email").trim().toLowerCase(Locale.ROOT);
        String role = field(body, "role");
        if (!ROLES.contains(role)) {
            throw ApiError.invalidRequest("role must be staff or provider, got '" + role + "'");
        }
        String fullName = body.path("full_name").isTextual() ? body.get("full_name").asText() : null;
        String password = body.path("password").isTextual() ? body.get("password").asText() : null;
        Claims claims = tokens.verifyHeader(ctx.header("Authorization"));
        if (!Members.isAdmin(database, claims)) {
            audit.record(claims, "add_member", claims.orgId(), "forbidden", Map.of("role", role));
            throw ApiError.forbidden("only an admin of this clinic can add members");
        }
        ObjectNode appMetadata = mapper.createObjectNode().put("provider", "email")
                .put("org_id", claims.orgId().toString()).put("role", role);
        ObjectNode userMetadata = mapper.createObjectNode();
        if (fullName != null) {
            userMetadata.put("full_name", fullName);
        }
        String hash = password == null ? null : passwords.hash(password);
        AuthUser user;
        try {
            user = database.asAuthAdmin(connection -> users.create(connection, email, hash, appMetadata, userMetadata, true));
        } catch (AuthError exists) {
            throw new ApiError(409, "conflict", "a user with that e-mail already exists");
        }
        audit.record(claims, "add_member", claims.orgId(), "created", Map.of("member_id", user.id().toString(), "role", role));
        var member = new LinkedHashMap<String, Object>();
        member.put("id", user.id());
        member.put("org_id", claims.orgId());
        member.put("email", email);
        member.put("role", role);
        ctx.status(201).json(Map.of("success", true, "member", member));
    }

    private static String field(JsonNode body, String name) {
        JsonNode node = body == null ? null : body.get(name);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw ApiError.invalidRequest(name + " is required");
        }
        return node.asText();
    }
}
