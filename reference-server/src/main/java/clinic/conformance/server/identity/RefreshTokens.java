package clinic.conformance.server.identity;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/** {@code auth.refresh_tokens}: opaque, single use; each refresh revokes the old token and issues its child. */
public final class RefreshTokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The user and session a still-valid refresh token belongs to. */
    public record Grant(UUID userId, UUID sessionId) {
    }

    public String issue(Connection connection, UUID userId, UUID sessionId, String parent) throws SQLException {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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

    /** Revokes {@code token} if it is valid and returns what it granted; a revoked or unknown token grants nothing. */
    public Optional<Grant> redeem(Connection connection, String token) throws SQLException {
        try (var statement = connection.prepareStatement("update auth.refresh_tokens set revoked = true, "
                + "updated_at = now() where token = ? and not revoked returning user_id, session_id")) {
            statement.setString(1, token);
            try (var rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                UUID session = rows.getObject(2, UUID.class);
                return Optional.of(new Grant(rows.getObject(1, UUID.class), session == null ? UUID.randomUUID() : session));
            }
        }
    }
}
