package clinic.conformance.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import clinic.conformance.server.http.ApiError;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TokenVerifier with an ES256 signing key: the key decides the algorithm, headers never bring keys")
class AsymmetricTokenVerifierTest {
    private final String privateJwk = SigningKey.generateEs256();
    private final SigningKey signing = SigningKey.fromJwk(privateJwk);
    private final TokenVerifier verifier = new TokenVerifier(VerificationKeys.local(signing, Optional.empty()));
    private final UUID user = UUID.randomUUID();
    private final UUID org = UUID.randomUUID();

    private JWTClaimsSet claims() {
        return new JWTClaimsSet.Builder().subject(user.toString()).claim("org_id", org.toString())
                .claim("role", "authenticated").audience("authenticated").issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).build();
    }

    private String attackerSigned(JWSHeader.Builder header) throws Exception {
        ECKey attacker = (ECKey) JWK.parse(SigningKey.generateEs256());
        var jwt = new SignedJWT(header.build(), claims());
        jwt.sign(new ECDSASigner(attacker));
        return jwt.serialize();
    }

    private void assertRefused(String token) {
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(ApiError.class)
                .extracting(e -> ((ApiError) e).status()).isEqualTo(401);
    }

    @Test
    void itsOwnTokensAreAccepted() throws Exception {
        String token = signing.sign(claims().toJSONObject());
        assertThat(SignedJWT.parse(token).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(verifier.verify(token).orgId()).isEqualTo(org);
    }

    @Test
    void anotherKeyIsRefusedWhateverKidItClaims() throws Exception {
        String kid = JWK.parse(privateJwk).getKeyID();
        assertRefused(attackerSigned(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("unknown")));
        assertRefused(attackerSigned(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid)));
        assertRefused(attackerSigned(new JWSHeader.Builder(JWSAlgorithm.ES256)));
    }

    @Test
    void aKeyInTheHeaderIsNeverTrusted() throws Exception {
        ECKey attacker = (ECKey) JWK.parse(SigningKey.generateEs256());
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(attacker.getKeyID())
                .jwk(attacker.toPublicJWK()).build(), claims());
        jwt.sign(new ECDSASigner(attacker));
        assertRefused(jwt.serialize());
    }

    @Test
    void hs256IsRefusedWithoutALegacySecretEvenWithThePublicKey() throws Exception {
        ECKey published = (ECKey) signing.publicKeys().getKeys().get(0);
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(published.getKeyID()).build(), claims());
        jwt.sign(new MACSigner(published.toJSONString().getBytes(StandardCharsets.UTF_8)));
        assertRefused(jwt.serialize());
    }

    @Test
    void aSignatureOfZerosIsRefused() {
        String[] parts = signing.sign(claims().toJSONObject()).split("\\.");
        String zeros = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]);
        assertRefused(parts[0] + "." + parts[1] + "." + zeros);
    }

    @Test
    void theJwksPublishesOnlyThePublicHalf() {
        assertThat(signing.publicKeys().getKeys()).singleElement().satisfies(key -> {
            assertThat(key.isPrivate()).isFalse();
            assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        });
    }
}
