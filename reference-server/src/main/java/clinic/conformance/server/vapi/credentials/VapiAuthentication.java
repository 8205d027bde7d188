package clinic.conformance.server.vapi.credentials;

import clinic.conformance.server.audit.AuditLog;
import clinic.conformance.server.auth.Claims;
import clinic.conformance.server.auth.TokenVerifier;
import clinic.conformance.server.http.ApiError;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Who sent a tool-calls message, by the credential Vapi's server URL is configured with (contract §1 v3; docs/vapi.md):
 * a bearer token in the configured header, with or without {@code Bearer } — a JWT (a member's, or an OAuth2
 * credential's token) or a bearer credential's token; the legacy {@code X-Vapi-Secret} header; or an HMAC signature
 * over the raw body, checked before the body is parsed.
 */
public final class VapiAuthentication {
    /** Vapi's legacy secret header: a bearer credential without a prefix. */
    public static final String LEGACY_SECRET_HEADER = "X-Vapi-Secret";
    private final TokenVerifier tokens;
    private final VapiCredentials credentials;
    private final AuditLog audit;
    private final ObjectMapper mapper;
    private final Settings settings;

    /** The bearer header and whether its value carries {@code Bearer }, and the HMAC plan. */
    public record Settings(String bearerHeader, boolean bearerPrefix, VapiCredentials.SignaturePlan signatures) {
    }

    public VapiAuthentication(TokenVerifier tokens, VapiCredentials credentials, AuditLog audit, ObjectMapper mapper,
                              Settings settings) {
        this.tokens = tokens;
        this.credentials = credentials;
        this.audit = audit;
        this.mapper = mapper;
        this.settings = settings;
    }

    /**
     * A request that names an HMAC credential ({@code ?client_id=}) or carries a signature is verified here, over the
     * body's raw bytes, before anything is parsed; a refusal of a named credential is audited. Empty for any other.
     */
    public Optional<Claims> signed(Context ctx, byte[] body) throws SQLException {
        var plan = settings.signatures();
        String clientId = ctx.queryParam("client_id");
        String signature = ctx.header(plan.signatureHeader());
        if (clientId == null && signature == null) {
            return Optional.empty();
        }
        var verification = credentials.verify(plan, clientId, ctx.header(plan.timestampHeader()), signature, body);
        if (verification.accepted().isEmpty()) {
            if (verification.named() != null) {
                var details = new LinkedHashMap<String, Object>();
                details.put("reason", verification.refusal());
                details.put("client_id", verification.named().clientId());
                audit.record(claimsOf(verification.named()), "vapi_signature", verification.named().orgId(),
                        "unauthorized", details);
            }
            throw ApiError.unauthorized("the request's signature is refused: " + verification.refusal());
        }
        return Optional.of(claimsOf(verification.accepted().get()));
    }

    /** A bearer credential: a JWT as ever, anything else a Vapi bearer credential's token; or the legacy header. */
    public Claims bearer(Context ctx) throws SQLException {
        String legacy = ctx.header(LEGACY_SECRET_HEADER);
        String value = ctx.header(settings.bearerHeader());
        if (value == null && legacy != null) {
            return byToken(legacy.trim());
        }
        String authorization = settings.bearerPrefix() || value == null ? value : "Bearer " + value;
        String token = authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? null
                : authorization.substring(7);
        if (token != null && !token.isBlank() && !token.contains(".") && !token.contains(" ")) {
            return byToken(token);
        }
        return tokens.verifyHeader(authorization);
    }

    private Claims byToken(String token) throws SQLException {
        return credentials.byToken(token).map(this::claimsOf)
                .orElseThrow(() -> ApiError.unauthorized("the Vapi credential is unknown or revoked"));
    }

    /** The claims a credential's requests run under, as its OAuth2 tokens carry them. */
    private Claims claimsOf(VapiCredentials.Credential credential) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", credential.id().toString());
        claims.put("org_id", credential.orgId().toString());
        claims.put("role", "authenticated");
        claims.put("aud", "authenticated");
        claims.put("client_id", credential.clientId());
        try {
            return new Claims(credential.id(), credential.orgId(), mapper.writeValueAsString(claims));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Settings' values, checked: the header names Vapi lets a user set, and the algorithms and encodings it offers. */
    public static VapiCredentials.SignaturePlan plan(String signatureHeader, String timestampHeader, String algorithm,
                                                      String encoding, String prefix, String payloadFormat,
                                                      java.time.Duration window) {
        String alg = algorithm.toLowerCase(Locale.ROOT);
        if (!java.util.Set.of("sha256", "sha512", "sha1").contains(alg)) {
            throw new IllegalArgumentException("the HMAC algorithm is sha256, sha512 or sha1, got '" + algorithm + "'");
        }
        String enc = encoding.toLowerCase(Locale.ROOT);
        if (!java.util.Set.of("hex", "base64").contains(enc)) {
            throw new IllegalArgumentException("the HMAC signature encoding is hex or base64, got '" + encoding + "'");
        }
        return new VapiCredentials.SignaturePlan(signatureHeader, timestampHeader, alg, enc, prefix, payloadFormat, window);
    }
}
