package clinic.conformance.server.identity;

import clinic.conformance.server.auth.TokenVerifier;
import clinic.conformance.server.db.Database;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code POST /auth/v1/admin/users} for the service key (SPEC §1 Identity, v2): creates a user as GoTrue's admin API
 * does — the INSERT carries only {@code {provider, providers}} in {@code app_metadata}, and the caller's
 * {@code app_metadata} (an invite's {@code org_id} and {@code role}) follows in an UPDATE, so the database's invite
 * path is exercised in the order a hosted project runs it.
 */
public final class AdminUsersHandler {
    private final ObjectMapper mapper;
    private final Database database;
    private final Users users;
    private final Passwords passwords;
    private final Sessions sessions;
    private final TokenVerifier tokens;

    public AdminUsersHandler(ObjectMapper mapper, Database database, Users users, Passwords passwords, Sessions sessions,
                             TokenVerifier tokens) {
        this.mapper = mapper;
        this.database = database;
        this.users = users;
        this.passwords = passwords;
        this.sessions = sessions;
        this.tokens = tokens;
    }

    public void create(Context ctx) throws Exception {
        requireServiceKey(ctx.header("Authorization"));
        JsonNode body = mapper.readTree(ctx.bodyAsBytes());
        if (body == null || !body.isObject() || !body.path("email").isTextual()) {
            throw AuthError.validation("email is required");
        }
        String email = body.get("email").asText().trim().toLowerCase(Locale.ROOT);
        String password = body.path("password").isTextual() ? body.get("password").asText() : null;
        if (password != null) {
            Passwords.check(password, 0);
        }
        JsonNode userMetadata = body.path("user_metadata").isObject() ? body.get("user_metadata") : mapper.createObjectNode();
        JsonNode appMetadata = body.path("app_metadata").isObject() ? body.get("app_metadata") : null;
        ObjectNode platform = mapper.createObjectNode().put("provider", "email");
        platform.putArray("providers").add("email");
        String hash = password == null ? null : passwords.hash(password);
        boolean confirmed = body.path("email_confirm").asBoolean(false);
        AuthUser user = database.asAuthAdmin(connection -> {
            AuthUser created = users.create(connection, email, hash, platform, userMetadata, confirmed);
            if (appMetadata != null) {
                users.mergeAppMetadata(connection, created.id(), (ObjectNode) appMetadata);
            }
            return users.findById(connection, created.id()).orElseThrow();
        });
        ctx.status(200).json(sessions.userJson(user, Instant.now()));
    }

    private void requireServiceKey(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new AuthError(401, "no_authorization", "This endpoint requires a Bearer token");
        }
        if (!tokens.isServiceKey(authorization)) {
            throw new AuthError(403, "not_admin", "User not allowed");
        }
    }
}
