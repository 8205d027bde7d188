package clinic.conformance.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The key the server's GoTrue subset signs with (contract §1 Authentication, v2): a private JWK — ES256 by default, as
 * Supabase signs every project's tokens since 2025-10, or RS256 — whose public half is served at
 * {@code /auth/v1/.well-known/jwks.json}; or, for a legacy project, the HS256 JWT secret, which publishes no key.
 */
public final class SigningKey {
    private final JWSSigner signer;
    private final JWSHeader header;
    private final JWKSet publicKeys;

    private SigningKey(JWSSigner signer, JWSHeader header, JWKSet publicKeys) {
        this.signer = signer;
        this.header = header;
        this.publicKeys = publicKeys;
    }

    /** A private EC (P-256) or RSA JWK in JSON, as {@code JWT_SIGNING_KEY} holds it; its {@code kid} names it. */
    public static SigningKey fromJwk(String json) {
        JWK key;
        try {
            key = JWK.parse(json);
        } catch (ParseException e) {
            throw new IllegalArgumentException("the signing key is not a JWK: " + e.getMessage());
        }
        if (!key.isPrivate()) {
            throw new IllegalArgumentException("the signing key must be a private JWK (it has no private part)");
        }
        if (key.getKeyID() == null || key.getKeyID().isBlank()) {
            throw new IllegalArgumentException("the signing key needs a kid: verifiers find it by that name");
        }
        try {
            if (key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
                return new SigningKey(new ECDSASigner(ec), header(JWSAlgorithm.ES256, key.getKeyID()), published(ec, JWSAlgorithm.ES256));
            }
            if (key instanceof RSAKey rsa && rsa.size() >= 2048) {
                return new SigningKey(new RSASSASigner(rsa), header(JWSAlgorithm.RS256, key.getKeyID()), published(rsa, JWSAlgorithm.RS256));
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the signing key cannot sign: " + e.getMessage());
        }
        throw new IllegalArgumentException("the signing key must be an EC P-256 key (ES256) or an RSA key of 2048 bits "
                + "or more (RS256)");
    }

    /** The legacy HS256 secret: tokens without a {@code kid}, and an empty JWKS, as a legacy project publishes. */
    public static SigningKey legacy(String secret) {
        try {
            return new SigningKey(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)),
                    new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), new JWKSet());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the JWT secret is too short for HS256: " + e.getMessage());
        }
    }

    /** A fresh P-256 private JWK (JSON) with a random {@code kid}: what a new Supabase project starts with. */
    public static String generateEs256() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256).generate().toJSONString();
        } catch (JOSEException e) {
            throw new IllegalStateException("no P-256 key generator in this JVM", e);
        }
    }

    public String algorithm() {
        return header.getAlgorithm().getName();
    }

    /** The public keys verifiers fetch: this key's public half, or none for the legacy secret. */
    public JWKSet publicKeys() {
        return publicKeys;
    }

    /** {@code claims} signed under this key's header ({@code alg}, {@code kid}, {@code typ: JWT}). */
    public String sign(Map<String, Object> claims) {
        try {
            var jwt = new SignedJWT(header, JWTClaimsSet.parse(claims));
            jwt.sign(signer);
            return jwt.serialize();
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("cannot sign these claims: " + e.getMessage(), e);
        }
    }

    private static JWSHeader header(JWSAlgorithm algorithm, String kid) {
        return new JWSHeader.Builder(algorithm).keyID(kid).type(JOSEObjectType.JWT).build();
    }

    private static JWKSet published(JWK key, JWSAlgorithm algorithm) {
        JWK pub = key.toPublicJWK();
        JWK described = pub instanceof ECKey ec
                ? new ECKey.Builder(ec).algorithm(algorithm).keyUse(KeyUse.SIGNATURE).keyOperations(Set.of(KeyOperation.VERIFY)).build()
                : new RSAKey.Builder((RSAKey) pub).algorithm(algorithm).keyUse(KeyUse.SIGNATURE).keyOperations(Set.of(KeyOperation.VERIFY)).build();
        return new JWKSet(List.of(described));
    }
}
