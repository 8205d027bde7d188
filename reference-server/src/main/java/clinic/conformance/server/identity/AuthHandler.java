package clinic.conformance.server.identity;

import clinic.conformance.server.db.Database;
import clinic.conformance.server.http.AuthError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Supabase Auth's {@code POST /auth/v1/signup} and {@code POST /auth/v1/token} (password and refresh_token grants). */
public final class AuthHandler {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private final ObjectMapper mapper;
    private final Database database;
    private final Users users;
    private final Passwords passwords;
    private final Sessions sessions;
    private final AuthSessions store;
    private final LoginLimiter limiter;
    private final int passwordMinLength;
    private final boolean emailConfirmation;

    /** {@code emailConfirmation}: a signup must confirm its e-mail before it gets a session (Supabase's default). */
    public AuthHandler(ObjectMapper mapper, Database database, Users users, Passwords passwords, Sessions sessions,
                       AuthSessions store, LoginLimiter limiter, int passwordMinLength, boolean emailConfirmation) {
        this.mapper = mapper;
        this.database = database;
        this.users = users;
        this.passwords = passwords;
        this.sessions = sessions;
        this.store = store;
        this.limiter = limiter;
        this.passwordMinLength = passwordMinLength;
        this.emailConfirmation = emailConfirmation;
    }

    public void signup(Context ctx) throws Exception {
        JsonNode body = body(ctx);
        String email = email(body);
        String password = text(body, "password");
        Passwords.check(password, passwordMinLength);
        JsonNode data = body.path("data").isObject() ? body.get("data") : mapper.createObjectNode();
        ObjectNode appMetadata = mapper.createObjectNode().put("provider", "email");
        appMetadata.putArray("providers").add("email");
        String hash = passwords.hash(password);
        ObjectNode answer = database.asAuthAdmin(connection -> {
            AuthUser user = users.create(connection, email, hash, appMetadata, data, !emailConfirmation);
            // with confirmation on, GoTrue answers with the user alone: no session until the e-mail is confirmed
            return emailConfirmation ? sessions.userJson(user, null)
                    : sessions.open(connection, user, UUID.randomUUID(), "password", null);
        });
        ctx.status(200).json(answer);
    }

    public void token(Context ctx) throws Exception {
        String grant = ctx.queryParam("grant_type");
        if ("password".equals(grant)) {
            passwordGrant(ctx);
        } else if ("refresh_token".equals(grant)) {
            refreshGrant(ctx);
        } else {
            throw new AuthError(400, "unsupported_grant_type",
                    "grant_type must be password or refresh_token, got " + (grant == null ? "nothing" : "'" + grant + "'"));
        }
    }

    private void passwordGrant(Context ctx) throws Exception {
        JsonNode body = body(ctx);
        String email = text(body, "email");
        String password = text(body, "password");
        if (email == null || password == null) {
            throw AuthError.invalidCredentials();
        }
        String normalized = email.trim().toLowerCase(Locale.ROOT);
        limiter.check(normalized, ctx.ip());
        Optional<ObjectNode> session = database.asAuthAdmin(connection -> {
            Optional<AuthUser> user = users.findByEmail(connection, normalized);
            // the same answer, after the same bcrypt work, whether or not the e-mail exists
            if (!passwords.matches(password, user.map(AuthUser::encryptedPassword).orElse(null))) {
                return Optional.empty();
            }
            if (user.get().emailConfirmedAt() == null) {
                // after the password, as GoTrue orders it: only someone holding the credentials learns this
                throw new AuthError(400, "email_not_confirmed", "Email not confirmed");
            }
            return Optional.of(sessions.open(connection, user.get(), UUID.randomUUID(), "password", null));
        });
        if (session.isEmpty()) {
            limiter.failed(normalized, ctx.ip());
            throw AuthError.invalidCredentials();
        }
        limiter.succeeded(normalized);
        ctx.status(200).json(session.get());
    }

    private void refreshGrant(Context ctx) throws Exception {
        String token = text(body(ctx), "refresh_token");
        if (token == null || token.isBlank()) {
            throw AuthError.validation("refresh_token is required");
        }
        ObjectNode session = database.asAuthAdmin(connection -> {
            var redeemed = store.redeem(connection, token);
            if (redeemed instanceof AuthSessions.AlreadyUsed) {
                // committed with the answer: the family stays revoked (GoTrue's "possible abuse attempt")
                return null;
            }
            if (!(redeemed instanceof AuthSessions.Grant grant)) {
                throw notFound();
            }
            AuthUser user = users.findById(connection, grant.userId()).orElseThrow(AuthHandler::notFound);
            return grant.current().isPresent()
                    ? sessions.resume(connection, user, grant.sessionId(), grant.current().get())
                    : sessions.open(connection, user, grant.sessionId(), "token_refresh", token);
        });
        if (session == null) {
            throw new AuthError(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used");
        }
        ctx.status(200).json(session);
    }

    private static AuthError notFound() {
        return new AuthError(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    }

    private static String email(JsonNode body) {
        String email = text(body, "email");
        if (email == null || email.length() > 255 || !EMAIL.matcher(email.trim()).matches()) {
            throw AuthError.validation("Unable to validate email address: invalid format");
        }
        return email.trim().toLowerCase(Locale.ROOT);
    }

    private JsonNode body(Context ctx) throws Exception {
        JsonNode body = mapper.readTree(ctx.bodyAsBytes());
        if (body == null || !body.isObject()) {
            throw AuthError.validation("the body must be a JSON object");
        }
        return body;
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node != null && node.isTextual() ? node.asText() : null;
    }
}
