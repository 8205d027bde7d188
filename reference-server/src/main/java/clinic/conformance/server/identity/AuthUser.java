package clinic.conformance.server.identity;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of {@code auth.users} as the auth endpoints need it. */
public record AuthUser(UUID id, String email, String encryptedPassword, JsonNode appMetadata, JsonNode userMetadata,
                       OffsetDateTime emailConfirmedAt, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
