package clinic.conformance.server.vapi.credentials;

import clinic.conformance.server.audit.AuditLog;
import clinic.conformance.server.auth.Claims;
import clinic.conformance.server.auth.TokenVerifier;
import clinic.conformance.server.db.Database;
import clinic.conformance.server.http.ApiError;
import clinic.conformance.server.http.Uuids;
import clinic.conformance.server.identity.Members;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /api/vapi/credentials}: a clinic admin creates (the secret shown once), lists and revokes the credentials
 * Vapi uses to fetch its own tokens (contract §1 v2). Each change is audited.
 */
public final class VapiCredentialsHandler {
    private final ObjectMapper mapper;
    private final Database database;
    private final TokenVerifier tokens;
    private final VapiCredentials credentials;
    private final AuditLog audit;

    public VapiCredentialsHandler(ObjectMapper mapper, Database database, TokenVerifier tokens,
                                  VapiCredentials credentials, AuditLog audit) {
        this.mapper = mapper;
        this.database = database;
        this.tokens = tokens;
        this.credentials = credentials;
        this.audit = audit;
    }

    public void create(Context ctx) throws Exception {
        byte[] raw = ctx.bodyAsBytes();
        JsonNode body = raw.length == 0 ? mapper.createObjectNode() : mapper.readTree(raw);
        JsonNode name = body == null ? null : body.get("name");
        if (name != null && (!name.isTextual() || name.asText().isBlank() || name.asText().length() > 100)) {
            throw ApiError.invalidRequest("name, when given, is a string of 1-100 characters");
        }
        JsonNode type = body == null ? null : body.get("type");
        if (type != null && (!type.isTextual() || !VapiCredentials.KINDS.contains(type.asText()))) {
            throw ApiError.invalidRequest("type, when given, is oauth2, bearer or hmac");
        }
        String kind = type == null ? "oauth2" : type.asText();
        Claims admin = admin(ctx, "create_vapi_credential");
        var issued = credentials.create(admin.orgId(), admin.userId(), name == null ? "Vapi" : name.asText(), kind);
        audit.record(admin, "create_vapi_credential", admin.orgId(), "created",
                Map.of("credential_id", issued.credential().id().toString(), "client_id", issued.credential().clientId(),
                        "kind", kind));
        var answer = describe(issued.credential());
        // what to enter in Vapi's dashboard, shown once (docs/vapi.md)
        switch (kind) {
            case "bearer" -> answer.put("token", issued.clientSecret());
            case "hmac" -> {
                answer.put("secret_key", issued.clientSecret());
                answer.put("server_url_query", "client_id=" + issued.credential().clientId());
            }
            default -> {
                answer.put("client_secret", issued.clientSecret());
                answer.put("token_endpoint", "/oauth/token");
            }
        }
        ctx.status(201).header("Cache-Control", "no-store").json(answer);
    }

    public void list(Context ctx) throws Exception {
        Claims admin = admin(ctx, "list_vapi_credentials");
        ctx.json(Map.of("credentials", credentials.list(admin.orgId()).stream().map(VapiCredentialsHandler::describe).toList()));
    }

    public void revoke(Context ctx) throws Exception {
        UUID id = Uuids.parse(ctx.pathParam("id")).orElseThrow(() -> ApiError.notFound("no such credential"));
        Claims admin = admin(ctx, "revoke_vapi_credential");
        if (!credentials.revoke(admin.orgId(), id)) {
            throw ApiError.notFound("no such credential in this clinic");
        }
        audit.record(admin, "revoke_vapi_credential", admin.orgId(), "revoked", Map.of("credential_id", id.toString()));
        ctx.status(204);
    }

    private Claims admin(Context ctx, String action) throws Exception {
        Claims claims = tokens.verifyHeader(ctx.header("Authorization"));
        if (!Members.isAdmin(database, claims)) {
            audit.record(claims, action, claims.orgId(), "forbidden", Map.of());
            throw ApiError.forbidden("only an admin of this clinic manages its Vapi credentials");
        }
        return claims;
    }

    private static Map<String, Object> describe(VapiCredentials.Credential credential) {
        var fields = new LinkedHashMap<String, Object>();
        fields.put("id", credential.id());
        fields.put("client_id", credential.clientId());
        fields.put("name", credential.name());
        fields.put("type", credential.kind());
        fields.put("created_at", credential.createdAt());
        fields.put("revoked_at", credential.revokedAt());
        return fields;
    }
}
