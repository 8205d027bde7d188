package clinic.conformance.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import clinic.conformance.server.http.ApiError;
import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TokenVerifier accepts only Supabase-shaped HS256 tokens with every required claim")
class TokenVerifierTest {
    private static final String SECRET = "unit-test-secret-that-is-long-enough-for-hs256";
    private final TokenVerifier verifier = TokenVerifier.legacy(SECRET);
    private final UUID user = UUID.randomUUID();
    private final UUID org = UUID.randomUUID();

    private JWTCreator.Builder valid() {
        return JWT.create().withSubject(user.toString()).withClaim("org_id", org.toString())
                .withClaim("role", "authenticated").withAudience("authenticated")
                .withIssuedAt(Instant.now()).withExpiresAt(Instant.now().plusSeconds(300));
    }

    private static String sign(JWTCreator.Builder builder) {
        return builder.sign(Algorithm.HMAC256(SECRET.getBytes(StandardCharsets.UTF_8)));
    }

    private void assertRefused(String header) {
        assertThatThrownBy(() -> verifier.verifyHeader(header)).isInstanceOf(ApiError.class)
                .extracting(e -> ((ApiError) e).status()).isEqualTo(401);
    }

    @Test
    void aValidTokenYieldsItsUserAndOrg() {
        Claims claims = verifier.verifyHeader("Bearer " + sign(valid()));
        assertThat(claims.userId()).isEqualTo(user);
        assertThat(claims.orgId()).isEqualTo(org);
        assertThat(claims.json()).contains(org.toString());
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() {
        assertThat(verifier.verifyHeader("bearer " + sign(valid())).orgId()).isEqualTo(org);
    }

    @Test
    void missingOrOtherSchemesAreRefused() {
        assertRefused(null);
        assertRefused("");
        assertRefused("Basic dXNlcjpwYXNz");
        assertRefused("Bearer");
        assertRefused("Bearer not.a.jwt");
    }

    @Test
    void algNoneAndOtherKeysAreRefused() {
        assertRefused("Bearer " + valid().sign(Algorithm.none()));
        assertRefused("Bearer " + valid().sign(Algorithm.HMAC256("another-secret-that-is-long-enough-for-hs256")));
        assertRefused("Bearer " + valid().sign(Algorithm.HMAC512(SECRET)));
    }

    @Test
    void expiryIsCheckedWithAtMostThirtySecondsOfLeeway() {
        assertRefused("Bearer " + sign(valid().withExpiresAt(Instant.now().minusSeconds(31 + 5))));
        assertThat(verifier.verifyHeader("Bearer " + sign(valid().withExpiresAt(Instant.now().minusSeconds(10))))).isNotNull();
    }

    @Test
    void everyRequiredClaimMustBePresentAndRight() {
        var noExp = new java.util.HashMap<String, Object>(java.util.Map.of("sub", user.toString(), "org_id", org.toString(),
                "role", "authenticated", "aud", "authenticated", "iat", Instant.now().getEpochSecond()));
        assertRefused("Bearer " + sign(JWT.create().withPayload(noExp)));
        assertRefused("Bearer " + sign(valid().withClaim("org_id", (String) null)));
        assertRefused("Bearer " + sign(valid().withSubject(null)));
        assertRefused("Bearer " + sign(valid().withAudience("anon")));
        assertRefused("Bearer " + sign(valid().withClaim("role", "anon")));
        assertRefused("Bearer " + sign(valid().withClaim("org_id", "not-a-uuid")));
        assertRefused("Bearer " + sign(valid().withClaim("org_id", "1-1-1-1-1")));
        var noIat = new java.util.HashMap<String, Object>(noExp);
        noIat.remove("iat");
        noIat.put("exp", Instant.now().plusSeconds(300).getEpochSecond());
        assertRefused("Bearer " + sign(JWT.create().withPayload(noIat)));
        assertThat(verifier.verifyHeader("Bearer " + sign(JWT.create().withPayload(java.util.Map.of(
                "sub", user.toString(), "org_id", org.toString(), "role", "authenticated", "aud", "authenticated",
                "iat", Instant.now().getEpochSecond(), "exp", Instant.now().plusSeconds(300).getEpochSecond())))))
                .as("the same payload with both claims is accepted").isNotNull();
    }

    @Test
    void aTamperedPayloadFailsTheSignature() {
        String[] parts = sign(valid()).split("\\.");
        String other = sign(valid().withClaim("org_id", UUID.randomUUID().toString())).split("\\.")[1];
        assertRefused("Bearer " + parts[0] + "." + other + "." + parts[2]);
    }
}
