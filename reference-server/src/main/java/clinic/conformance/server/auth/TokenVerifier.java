package clinic.conformance.server.auth;

import clinic.conformance.server.http.ApiError;
import clinic.conformance.server.http.Uuids;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Verifies Supabase access tokens (contract §1 Authentication): the signature with a key from {@link VerificationKeys}
 * (ES256/RS256 from the project's JWKS, HS256 only with a legacy secret), then every claim the contract requires —
 * {@code aud} and {@code role} authenticated, {@code sub} and {@code org_id}, {@code exp}, {@code iat} and any
 * {@code nbf} within 30 s of leeway. Any refusal is a 401.
 */
public class TokenVerifier {
    public static final long LEEWAY_SECONDS = 30;
    /** Supabase's tokens are well under 2 KiB; anything past this is refused before it is parsed. */
    public static final int MAX_TOKEN_CHARS = 8 * 1024;
    private static final String BEARER = "bearer ";
    private static final java.util.regex.Pattern COMPACT_JWS = java.util.regex.Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    /** How long a verified signature is trusted without checking it again: within the JWKS refetch interval. */
    public static final java.time.Duration VERIFIED_FOR = java.time.Duration.ofMinutes(1);
    private static final int VERIFIED_LIMIT = 4_096;
    private final VerificationKeys keys;
    private final long leewaySeconds;
    /**
     * Tokens whose signature verified, by their exact text, for {@link #VERIFIED_FOR}: a caller (Vapi above all) sends
     * the same token with every request, and an ES256 verification costs about a millisecond of CPU in the JDK's
     * P-256 code (docs/profile.md). The claims are still checked on every request.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Verified> verified = new java.util.concurrent.ConcurrentHashMap<>();

    private record Verified(JWTClaimsSet claims, long atNanos) {
    }
    private volatile CredentialRevocations revocations = credentialId -> false;

    /** Whether the Vapi credential a token was issued for has been revoked (contract §1 v2: refused within a minute). */
    @FunctionalInterface
    public interface CredentialRevocations {
        boolean revoked(UUID credentialId);
    }

    public TokenVerifier(VerificationKeys keys) {
        this(keys, LEEWAY_SECONDS);
    }

    /** Contract §1 allows at most 30 s of leeway; anything else is for tests that need a wrong verifier. */
    public TokenVerifier(VerificationKeys keys, long leewaySeconds) {
        this.keys = keys;
        this.leewaySeconds = leewaySeconds;
    }

    /** A verifier of a legacy project: HS256 with {@code secret}, no published keys. */
    public static TokenVerifier legacy(String secret) {
        return new TokenVerifier(new VerificationKeys(new ImmutableJWKSet<>(new JWKSet()), Optional.of(secret)));
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

    /** Whether the header carries a genuine, unexpired token of the {@code service_role} (the service key). */
    public boolean isServiceKey(String authorization) {
        try {
            JWTClaimsSet claims = signedClaims(bearerToken(authorization).orElse(""));
            return "service_role".equals(claims.getClaim("role")) && notExpired(claims);
        } catch (ApiError e) {
            return false;
        }
    }

    /** The role of a legacy API key (an {@code anon} or {@code service_role} JWT of this project's), if it is one. */
    public Optional<String> apiKeyRole(String key) {
        try {
            JWTClaimsSet claims = signedClaims(key);
            Object role = claims.getClaim("role");
            return notExpired(claims) && ("anon".equals(role) || "service_role".equals(role))
                    ? Optional.of((String) role) : Optional.empty();
        } catch (ApiError e) {
            return Optional.empty();
        }
    }

    /**
     * The claims of a token that is genuinely ours (our signature) but was refused for its claims — expired, wrong
     * audience, … — so the refusal can be audited under a known actor. Forged tokens name no one.
     */
    public Optional<Claims> authenticButRefused(String authorization) {
        try {
            JWTClaimsSet claims = signedClaims(bearerToken(authorization).orElse(""));
            var user = Uuids.parse(claims.getStringClaim("sub"));
            var org = Uuids.parse(claims.getStringClaim("org_id"));
            if (user.isEmpty() || org.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Claims(user.get(), org.get(), claims.toString()));
        } catch (ApiError | ParseException e) {
            return Optional.empty();
        }
    }

    public Claims verify(String token) {
        JWTClaimsSet claims = signedClaims(token);
        try {
            var audience = claims.getAudience();
            if (audience == null || !audience.contains("authenticated") || !"authenticated".equals(claims.getClaim("role"))
                    || claims.getClaim("sub") == null || claims.getClaim("org_id") == null
                    || !notExpired(claims) || !issuedInTime(claims)) {
                throw ApiError.unauthorized("the access token is invalid or expired");
            }
            UUID userId = uuidClaim(claims, "sub");
            UUID orgId = uuidClaim(claims, "org_id");
            if (claims.getClaim("client_id") != null && revocations.revoked(userId)) {
                throw ApiError.unauthorized("the Vapi credential this token was issued for has been revoked");
            }
            return new Claims(userId, orgId, claims.toString());
        } catch (ParseException e) {
            throw ApiError.unauthorized("the access token is invalid or expired");
        }
    }

    /**
     * The verifier for this token's signature, or empty to refuse it. The reference server asks its
     * {@link VerificationKeys}; mutant targets override this to show what each wrong choice lets through.
     */
    protected Optional<JWSVerifier> verifierFor(SignedJWT token) {
        return keys.verifierFor(token.getHeader());
    }

    /** The claims of a token whose signature one of our keys verifies; nothing about the claims is checked yet. */
    private JWTClaimsSet signedClaims(String token) {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw ApiError.unauthorized("the access token is too large");
        }
        Verified known = verified.get(token);
        if (known != null && System.nanoTime() - known.atNanos() < VERIFIED_FOR.toNanos()) {
            return known.claims();
        }
        if (!COMPACT_JWS.matcher(token).matches()) {
            // exactly one token, nothing around it: no second space, tab or second token for a lenient parser to skip
            throw ApiError.unauthorized("the access token is invalid or expired");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            Optional<JWSVerifier> verifier = verifierFor(jwt);
            if (verifier.isEmpty() || !jwt.verify(verifier.get())) {
                throw ApiError.unauthorized("the access token is invalid or expired");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (verified.size() >= VERIFIED_LIMIT) {
                verified.clear();
            }
            verified.put(token, new Verified(claims, System.nanoTime()));
            return claims;
        } catch (ParseException | JOSEException | IllegalStateException e) {
            throw ApiError.unauthorized("the access token is invalid or expired");
        }
    }

    private boolean notExpired(JWTClaimsSet claims) {
        Date expiry = claims.getExpirationTime();
        return expiry != null && Instant.now().minusSeconds(leewaySeconds).isBefore(expiry.toInstant());
    }

    /**
     * {@code iat} present and not in the future, {@code nbf} (where present) not in the future, within the leeway.
     * Contract §1 v3 requires only {@code nbf}; refusing a future {@code iat} is this server's choice, and a target
     * may serve such a token as the org it names.
     */
    protected boolean issuedInTime(JWTClaimsSet claims) {
        Instant latest = Instant.now().plusSeconds(leewaySeconds);
        Date issued = claims.getIssueTime();
        Date notBefore = claims.getNotBeforeTime();
        return issued != null && !issued.toInstant().isAfter(latest)
                && (notBefore == null || !notBefore.toInstant().isAfter(latest));
    }

    /** The token of a {@code Bearer <token>} header (the scheme in any case), if that is what the header is. */
    private static Optional<String> bearerToken(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(BEARER.length()));
    }

    private static UUID uuidClaim(JWTClaimsSet claims, String name) throws ParseException {
        Object value = claims.getClaim(name);
        return Uuids.parse(value instanceof String text ? text : null).orElseThrow(
                () -> ApiError.unauthorized("the access token's '" + name + "' claim must be a uuid"));
    }
}
