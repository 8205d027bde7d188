package clinic.conformance.server.identity;

import clinic.conformance.server.auth.TokenVerifier;
import clinic.conformance.server.db.Database;
import clinic.conformance.server.gateway.ApiGateway;
import clinic.conformance.server.http.AuthError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * {@code POST /auth/v1/admin/users} for the service key (contract §1 Identity, v2): creates a user as GoTrue's admin API
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
        requireServiceKey(ApiGateway.authorization(ctx));
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

    /** {@code GET /admin/users/{id}}: the user, or 404 {@code user_not_found}. */
    public void get(Context ctx) throws Exception {
        requireServiceKey(ApiGateway.authorization(ctx));
        UUID id = userId(ctx);
        AuthUser user = database.asAuthAdmin(connection -> users.findById(connection, id)).orElseThrow(AdminUsersHandler::notFound);
        ctx.json(sessions.userJson(user, null));
    }

    /**
     * {@code PUT /admin/users/{id}}: {@code email_confirm: true} confirms the address as the link would have,
     * {@code app_metadata} and {@code user_metadata} are merged — the admin API's changes this subset keeps.
     */
    public void update(Context ctx) throws Exception {
        requireServiceKey(ApiGateway.authorization(ctx));
        UUID id = userId(ctx);
        JsonNode body = mapper.readTree(ctx.bodyAsBytes());
        if (body == null || !body.isObject()) {
            throw AuthError.validation("the body must be a JSON object");
        }
        AuthUser user = database.asAuthAdmin(connection -> {
            if (users.findById(connection, id).isEmpty()) {
                return java.util.Optional.<AuthUser>empty();
            }
            if (body.path("email_confirm").asBoolean(false)) {
                users.confirmEmail(connection, id);
            }
            if (body.path("app_metadata").isObject()) {
                users.mergeAppMetadata(connection, id, (ObjectNode) body.get("app_metadata"));
            }
            if (body.path("user_metadata").isObject()) {
                users.update(connection, id, (ObjectNode) body.get("user_metadata"), null);
            }
            return users.findById(connection, id);
        }).orElseThrow(AdminUsersHandler::notFound);
        ctx.json(sessions.userJson(user, null));
    }

    private static UUID userId(Context ctx) {
        try {
            return UUID.fromString(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw new AuthError(404, "user_not_found", "User not found");
        }
    }

    private static AuthError notFound() {
        return new AuthError(404, "user_not_found", "User not found");
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
