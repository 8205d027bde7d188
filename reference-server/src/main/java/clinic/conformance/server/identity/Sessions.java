package clinic.conformance.server.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** Builds Supabase Auth's session body: access token, refresh token and the user object. */
public final class Sessions {
    private final ObjectMapper mapper;
    private final AccessTokens accessTokens;
    private final AuthSessions store;

    public Sessions(ObjectMapper mapper, AccessTokens accessTokens, AuthSessions store) {
        this.mapper = mapper;
        this.accessTokens = accessTokens;
        this.store = store;
    }

    public ObjectNode open(Connection connection, AuthUser user, UUID sessionId, String method, String parentToken)
            throws SQLException {
        return body(connection, user, sessionId, method, store.issue(connection, user.id(), sessionId, parentToken));
    }

    /** A new access token for a session whose current refresh token is handed back as it is (GoTrue's parent rule). */
    public ObjectNode resume(Connection connection, AuthUser user, UUID sessionId, String currentRefreshToken)
            throws SQLException {
        return body(connection, user, sessionId, "token_refresh", currentRefreshToken);
    }

    private ObjectNode body(Connection connection, AuthUser user, UUID sessionId, String method, String refresh)
            throws SQLException {
        Instant now = Instant.now();
        String access = accessTokens.mint(connection, user, sessionId, method, now);
        ObjectNode session = mapper.createObjectNode();
        session.put("access_token", access);
        session.put("token_type", "bearer");
        session.put("expires_in", accessTokens.lifetime().toSeconds());
        session.put("expires_at", now.plus(accessTokens.lifetime()).getEpochSecond());
        session.put("refresh_token", refresh);
        session.set("user", userJson(user, now));
        return session;
    }

    /** GoTrue's user object. */
    public ObjectNode userJson(AuthUser user, Instant signedInAt) {
        ObjectNode json = mapper.createObjectNode();
        json.put("id", user.id().toString());
        json.put("aud", "authenticated");
        json.put("role", "authenticated");
        json.put("email", user.email());
        json.put("phone", "");
        if (user.emailConfirmedAt() != null) {
            json.put("email_confirmed_at", String.valueOf(user.emailConfirmedAt()));
            json.put("confirmed_at", String.valueOf(user.emailConfirmedAt()));
        } else {
            json.put("confirmation_sent_at", String.valueOf(user.createdAt()));
        }
        if (signedInAt != null) {
            json.put("last_sign_in_at", signedInAt.toString());
        }
        json.set("app_metadata", user.appMetadata());
        json.set("user_metadata", user.userMetadata());
        json.putArray("identities");
        json.put("created_at", String.valueOf(user.createdAt()));
        json.put("updated_at", String.valueOf(user.updatedAt()));
        json.put("is_anonymous", false);
        return json;
    }
}
