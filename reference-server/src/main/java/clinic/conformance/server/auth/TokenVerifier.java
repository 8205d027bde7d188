package clinic.conformance.server.auth;

import clinic.conformance.server.http.ApiError;
import clinic.conformance.server.http.Uuids;
import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Verifies Supabase-style HS256 access tokens (SPEC §1 Authentication); any refusal is a 401.
 * A stock JWT library checks exp, aud and custom claims only when told to: this tells it.
 */
public class TokenVerifier {
    public static final long LEEWAY_SECONDS = 30;
    /** Supabase's tokens are well under 2 KiB; anything past this is refused before it is parsed. */
    public static final int MAX_TOKEN_CHARS = 8 * 1024;
    private static final String BEARER = "bearer ";
    private final JWTVerifier verifier;
    private final Algorithm algorithm;
    private volatile CredentialRevocations revocations = credentialId -> false;

    /** Whether the Vapi credential a token was issued for has been revoked (SPEC §1 v2: refused within a minute). */
    @FunctionalInterface
    public interface CredentialRevocations {
        boolean revoked(UUID credentialId);
    }

    public TokenVerifier(String secret) {
        this(secret, LEEWAY_SECONDS);
    }

    /** SPEC §1 allows at most 30 s of leeway; anything else is for tests that need a wrong verifier. */
    public TokenVerifier(String secret, long leewaySeconds) {
        this.algorithm = Algorithm.HMAC256(secret.getBytes(StandardCharsets.UTF_8));
        this.verifier = JWT.require(algorithm)
                .withAudience("authenticated")
                .withClaim("role", "authenticated")
                .withClaimPresence("sub")
                .withClaimPresence("org_id")
                .withClaimPresence("exp")
                .withClaimPresence("iat")
                .acceptLeeway(leewaySeconds)
                .build();
    }

    /** Tokens issued to a Vapi credential (they carry {@code client_id}) are refused once it is revoked. */
    public void refusing(CredentialRevocations revoked) {
        this.revocations = revoked;
    }

    /** Verifies the {@code Authorization} header's bearer token, or throws a 401 {@link ApiError}. */
    public Claims verifyHeader(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiError.unauthorized("missing Authorization header; send 'Authorization: Bearer <token>'");
        }
        return verify(bearerToken(authorization).orElseThrow(
                () -> ApiError.unauthorized("the Authorization header must be 'Bearer <token>'")));
    }

    /**
     * The claims of a token that is genuinely ours (HS256, our signature) but was refused for its claims — expired,
     * wrong audience, … — so the refusal can be audited under a known actor. Forged tokens name no one.
     */
    public Optional<Claims> authenticButRefused(String authorization) {
        Optional<String> token = bearerToken(authorization);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        try {
            DecodedJWT jwt = JWT.decode(token.get());
            if (!"HS256".equals(jwt.getAlgorithm())) {
                return Optional.empty();
            }
            algorithm.verify(jwt);
            var user = Uuids.parse(jwt.getSubject());
            var org = Uuids.parse(jwt.getClaim("org_id").asString());
            if (user.isEmpty() || org.isEmpty()) {
                return Optional.empty();
            }
            String payload = new String(Base64.getUrlDecoder().decode(jwt.getPayload()), StandardCharsets.UTF_8);
            return Optional.of(new Claims(user.get(), org.get(), payload));
        } catch (JWTVerificationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The token of a {@code Bearer <token>} header (the scheme in any case), if that is what the header is. */
    private static Optional<String> bearerToken(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(BEARER.length()));
    }

    public Claims verify(String token) {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw ApiError.unauthorized("the access token is too large");
        }
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (JWTVerificationException e) {
            throw ApiError.unauthorized("the access token is invalid or expired");
        }
        UUID userId = uuidClaim(jwt, "sub");
        UUID orgId = uuidClaim(jwt, "org_id");
        if (!jwt.getClaim("client_id").isMissing() && revocations.revoked(userId)) {
            throw ApiError.unauthorized("the Vapi credential this token was issued for has been revoked");
        }
        String payload = new String(Base64.getUrlDecoder().decode(jwt.getPayload()), StandardCharsets.UTF_8);
        return new Claims(userId, orgId, payload);
    }

    private static UUID uuidClaim(DecodedJWT jwt, String name) {
        return Uuids.parse(jwt.getClaim(name).asString()).orElseThrow(
                () -> ApiError.unauthorized("the access token's '" + name + "' claim must be a uuid"));
    }
}
