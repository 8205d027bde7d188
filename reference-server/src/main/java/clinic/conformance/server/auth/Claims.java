package clinic.conformance.server.auth;

import java.util.UUID;

/** The verified claims of a request's token: who (sub), which clinic (org_id), and the raw JSON for RLS. */
public record Claims(UUID userId, UUID orgId, String json) {
}
