package clinic.conformance.server.identity;

import clinic.conformance.server.auth.Claims;
import clinic.conformance.server.auth.TokenVerifier;
import clinic.conformance.server.db.Database;
import clinic.conformance.server.gateway.ApiGateway;
import clinic.conformance.server.http.ApiError;
import clinic.conformance.server.http.AuthError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.UUID;

/**
 * Supabase Auth's {@code GET}/{@code PUT /auth/v1/user} and {@code POST /auth/v1/logout} (contract §1 Identity, v2):
 * the signed-in user, their own changes to it, and signing out — which revokes the refresh tokens of the session
 * ({@code local}), of every session ({@code global}, the default) or of the others ({@code others}): the session rows
 * go, with their refresh tokens, and an access token naming a session that is gone gets {@code 403 session_not_found}
 * here (contract §1 Identity, v4). {@code PUT} writes {@code data} to {@code raw_user_meta_data}, the user's own
 * metadata, and nothing else of identity: {@code app_metadata} (org and role of an invite) is the platform's, written
 * only through the admin API, and an {@code email} here is not taken (no e-mail change flow), so nothing a member can
 * send changes their clinic or role (contract §1 Identity, P2).
 */
public final class UserHandler {
    private final ObjectMapper mapper;
    private final Database database;
    private final TokenVerifier tokens;
    private final Users users;
    private final Passwords passwords;
    private final Sessions sessions;
    private final AuthSessions store;
    private final int passwordMinLength;

    public UserHandler(ObjectMapper mapper, Database database, TokenVerifier tokens, Users users, Passwords passwords,
                       Sessions sessions, AuthSessions store, int passwordMinLength) {
        this.mapper = mapper;
        this.database = database;
        this.tokens = tokens;
        this.users = users;
        this.passwords = passwords;
        this.sessions = sessions;
        this.store = store;
        this.passwordMinLength = passwordMinLength;
    }

    public void get(Context ctx) throws Exception {
        Claims claims = verified(ctx);
        AuthUser user = database.asAuthAdmin(connection -> users.findById(connection, claims.userId()))
                .orElseThrow(UserHandler::userGone);
        ctx.json(sessions.userJson(user, Instant.now()));
    }

    public void update(Context ctx) throws Exception {
        Claims claims = verified(ctx);
        JsonNode body = mapper.readTree(ctx.bodyAsBytes());
        if (body == null || !body.isObject()) {
            throw AuthError.validation("the body must be a JSON object");
        }
        JsonNode data = body.get("data");
        if (data != null && !data.isObject()) {
            throw AuthError.validation("data must be an object");
        }
        String password = body.path("password").isTextual() ? body.get("password").asText() : null;
        if (password != null) {
            Passwords.check(password, passwordMinLength);
        }
        String hash = password == null ? null : passwords.hash(password);
        AuthUser user = database.asAuthAdmin(connection -> {
            users.update(connection, claims.userId(), (ObjectNode) data, hash);
            return users.findById(connection, claims.userId());
        }).orElseThrow(UserHandler::userGone);
        ctx.json(sessions.userJson(user, Instant.now()));
    }

    public void logout(Context ctx) throws Exception {
        Claims claims = verified(ctx);
        String scope = ctx.queryParam("scope") == null ? "global" : ctx.queryParam("scope");
        if (!scope.equals("global") && !scope.equals("local") && !scope.equals("others")) {
            throw AuthError.validation("scope must be global, local or others");
        }
        UUID session = sessionOf(claims);
        database.asAuthAdmin(connection -> store.signOut(connection, claims.userId(), session, scope));
        ctx.status(204);
    }

    private UUID sessionOf(Claims claims) {
        try {
            JsonNode id = mapper.readTree(claims.json()).get("session_id");
            return id == null || !id.isTextual() ? null : UUID.fromString(id.asText());
        } catch (Exception e) {
            return null;
        }
    }

    /** The caller's verified claims, as GoTrue loads them: a token whose session was signed out gets no user. */
    private Claims verified(Context ctx) throws java.sql.SQLException {
        Claims claims;
        try {
            claims = tokens.verifyHeader(ApiGateway.authorization(ctx));
        } catch (ApiError refused) {
            throw new AuthError(401, "bad_jwt", "invalid JWT: " + refused.getMessage());
        }
        UUID session = sessionOf(claims);
        if (session != null && !database.asAuthAdmin(connection -> store.alive(connection, session))) {
            throw new AuthError(403, "session_not_found", "Session from session_id claim in JWT does not exist");
        }
        return claims;
    }

    private static AuthError userGone() {
        return new AuthError(404, "user_not_found", "User from sub claim in JWT does not exist");
    }
}
