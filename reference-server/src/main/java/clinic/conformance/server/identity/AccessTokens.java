package clinic.conformance.server.identity;

import clinic.conformance.server.auth.SigningKey;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Mints Supabase-shaped access tokens, signed with the project's {@link SigningKey} (ES256 by default). The claims pass through {@code public.custom_access_token_hook} exactly as
 * Supabase Auth calls it, so one piece of SQL decides {@code org_id} on both platforms.
 */
public final class AccessTokens {
    private final ObjectMapper mapper;
    private final SigningKey signing;
    private final Duration lifetime;

    public AccessTokens(ObjectMapper mapper, SigningKey signing, Duration lifetime) {
        this.mapper = mapper;
        this.signing = signing;
        this.lifetime = lifetime;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** Signs a token for {@code user}; {@code connection} runs as the service, which may execute the hook. */
    public String mint(Connection connection, AuthUser user, UUID sessionId, String method, Instant now) throws SQLException {
        ObjectNode claims = mapper.createObjectNode();
        claims.put("aud", "authenticated");
        claims.put("exp", now.plus(lifetime).getEpochSecond());
        claims.put("iat", now.getEpochSecond());
        claims.put("sub", user.id().toString());
        claims.put("email", user.email());
        claims.put("phone", "");
        claims.set("app_metadata", user.appMetadata());
        claims.set("user_metadata", user.userMetadata());
        claims.put("role", "authenticated");
        claims.put("aal", "aal1");
        claims.putArray("amr").addObject().put("method", method).put("timestamp", now.getEpochSecond());
        claims.put("session_id", sessionId.toString());
        claims.put("is_anonymous", false);

        ObjectNode event = mapper.createObjectNode();
        event.put("user_id", user.id().toString());
        event.set("claims", claims);
        event.put("authentication_method", method);
        try (var statement = connection.prepareStatement("select public.custom_access_token_hook(?::jsonb)::text")) {
            statement.setString(1, event.toString());
            try (var rows = statement.executeQuery()) {
                rows.next();
                return sign(rows.getString(1));
            }
        }
    }

    private String sign(String hookOutput) {
        try {
            Map<String, Object> claims = mapper.convertValue(mapper.readTree(hookOutput).path("claims"),
                    new TypeReference<Map<String, Object>>() { });
            return signing.sign(claims);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("custom_access_token_hook returned no claims object", e);
        }
    }
}
