package clinic.conformance.server.identity;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * GoTrue's sessions and refresh tokens ({@code auth.sessions}, {@code auth.refresh_tokens}; contract §1 Identity, v4).
 * A sign-in opens a session row; an access token names it in {@code session_id} and is served only while the row
 * exists; signing out deletes rows (their refresh tokens go with them). Refresh tokens are single use, with GoTrue's
 * allowances: the parent of the session's current token answers that current token again (a client that lost the
 * answer), and any spent token within the reuse interval answers a new one; a spent token reused after it revokes the
 * whole family — every token of the session — and is refused {@code refresh_token_already_used}.
 */
public class AuthSessions {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Duration reuseInterval;

    public AuthSessions(Duration reuseInterval) {
        this.reuseInterval = reuseInterval;
    }

    /** What redeeming a refresh token gives. */
    public sealed interface Redeemed {
    }

    /** A live grant: the user and session, and the refresh token to hand back where one is kept (else a new one). */
    public record Grant(UUID userId, UUID sessionId, Optional<String> current) implements Redeemed {
    }

    /** A spent token reused after the interval: the family is revoked. */
    public record AlreadyUsed() implements Redeemed {
    }

    /** An unknown token, or one whose session is gone. */
    public record NotFound() implements Redeemed {
    }

    /** Opens a session (on a sign-in) or marks it refreshed, and issues its next refresh token. */
    public String issue(Connection connection, UUID userId, UUID sessionId, String parent) throws SQLException {
        String sql = parent == null
                ? "insert into auth.sessions (id, user_id) values (?, ?) on conflict (id) do update set updated_at = now()"
                : "update auth.sessions set refreshed_at = now()::timestamp, updated_at = now() where id = ? and user_id = ?";
        try (var statement = connection.prepareStatement(sql)) {
            statement.setObject(1, sessionId);
            statement.setObject(2, userId);
            statement.executeUpdate();
        }
        String token = randomToken();
        try (var statement = connection.prepareStatement(
                "insert into auth.refresh_tokens (token, user_id, session_id, parent) values (?, ?, ?, ?)")) {
            statement.setString(1, token);
            statement.setObject(2, userId);
            statement.setObject(3, sessionId);
            statement.setString(4, parent);
            statement.executeUpdate();
        }
        return token;
    }

    /** Redeems {@code token} under GoTrue's rules (see the class comment); the row is locked until the commit. */
    public Redeemed redeem(Connection connection, String token) throws SQLException {
        UUID userId;
        UUID sessionId;
        boolean revoked;
        Instant updatedAt;
        try (var statement = connection.prepareStatement("select user_id, session_id, revoked, updated_at "
                + "from auth.refresh_tokens where token = ? for update")) {
            statement.setString(1, token);
            try (var rows = statement.executeQuery()) {
                if (!rows.next() || rows.getObject(2) == null) {
                    return new NotFound();
                }
                userId = rows.getObject(1, UUID.class);
                sessionId = rows.getObject(2, UUID.class);
                revoked = rows.getBoolean(3);
                updatedAt = rows.getTimestamp(4).toInstant();
            }
        }
        if (!revoked) {
            revoke(connection, token);
            return new Grant(userId, sessionId, Optional.empty());
        }
        Optional<String> active = activeChildOf(connection, sessionId, token);
        if (active.isPresent()) {
            return new Grant(userId, sessionId, active);
        }
        if (Instant.now().isBefore(updatedAt.plus(reuseInterval))) {
            return new Grant(userId, sessionId, Optional.empty());
        }
        revokeFamily(connection, sessionId);
        return new AlreadyUsed();
    }

    /** Whether the session an access token names still exists (a signed-out one does not). */
    public boolean alive(Connection connection, UUID sessionId) throws SQLException {
        try (var statement = connection.prepareStatement("select 1 from auth.sessions where id = ?")) {
            statement.setObject(1, sessionId);
            try (var rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** GoTrue's {@code /logout}: deletes this session ({@code local}), all but this ({@code others}) or all. */
    public int signOut(Connection connection, UUID userId, UUID sessionId, String scope) throws SQLException {
        String which = sessionId == null ? "" : switch (scope) {
            case "local" -> " and id = ?";
            case "others" -> " and id <> ?";
            default -> "";
        };
        try (var statement = connection.prepareStatement("delete from auth.sessions where user_id = ?" + which)) {
            statement.setObject(1, userId);
            if (!which.isEmpty()) {
                statement.setObject(2, sessionId);
            }
            return statement.executeUpdate();
        }
    }

    /** Revokes every refresh token of the session: what a reuse after the interval costs the thief and the owner. */
    protected void revokeFamily(Connection connection, UUID sessionId) throws SQLException {
        try (var statement = connection.prepareStatement("update auth.refresh_tokens set revoked = true, "
                + "updated_at = now() where session_id = ? and not revoked")) {
            statement.setObject(1, sessionId);
            statement.executeUpdate();
        }
    }

    private static void revoke(Connection connection, String token) throws SQLException {
        try (var statement = connection.prepareStatement(
                "update auth.refresh_tokens set revoked = true, updated_at = now() where token = ?")) {
            statement.setString(1, token);
            statement.executeUpdate();
        }
    }

    private static Optional<String> activeChildOf(Connection connection, UUID sessionId, String parent)
            throws SQLException {
        try (var statement = connection.prepareStatement("select token, parent from auth.refresh_tokens "
                + "where session_id = ? and not revoked order by id desc limit 1")) {
            statement.setObject(1, sessionId);
            try (var rows = statement.executeQuery()) {
                return rows.next() && parent.equals(rows.getString(2)) ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
