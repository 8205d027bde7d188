package clinic.conformance.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The keys a token may be verified with (contract §1 Authentication, v2). Asymmetric tokens (ES256, RS256) are checked
 * against a JWKS — the project's {@code /auth/v1/.well-known/jwks.json}, cached, fetched again for an unknown
 * {@code kid} at most once a minute — with the algorithm the key names, never the one the token names; the
 * {@code jku}, {@code x5u} and {@code jwk} headers are never followed. HS256 only where a legacy secret is configured.
 */
public final class VerificationKeys {
    public static final Duration JWKS_CACHE = Duration.ofMinutes(10);
    public static final Duration JWKS_REFETCH_INTERVAL = Duration.ofMinutes(1);
    private final JWKSource<SecurityContext> jwks;
    private final Optional<byte[]> legacySecret;

    public VerificationKeys(JWKSource<SecurityContext> jwks, Optional<String> legacySecret) {
        this.jwks = jwks;
        this.legacySecret = legacySecret.map(secret -> secret.getBytes(StandardCharsets.UTF_8));
    }

    /** The server's own public keys, in process: a single replica verifying what it signed. */
    public static VerificationKeys local(SigningKey signing, Optional<String> legacySecret) {
        return new VerificationKeys(new ImmutableJWKSet<>(signing.publicKeys()), legacySecret);
    }

    /** A project's JWKS URL (for Supabase, {@code https://<ref>.supabase.co/auth/v1/.well-known/jwks.json}). */
    public static VerificationKeys remote(URI jwksUrl, Optional<String> legacySecret) {
        try {
            JWKSource<SecurityContext> source = JWKSourceBuilder.<SecurityContext>create(jwksUrl.toURL())
                    .cache(JWKS_CACHE.toMillis(), Duration.ofSeconds(15).toMillis())
                    .rateLimited(JWKS_REFETCH_INTERVAL.toMillis())
                    .retrying(false)
                    .build();
            return new VerificationKeys(source, legacySecret);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("the JWKS URL is not a URL: " + e.getMessage());
        }
    }

    /** The verifier for a token with this header, if one of our keys may verify it; empty means refuse. */
    public Optional<JWSVerifier> verifierFor(JWSHeader header) {
        JWSAlgorithm algorithm = header.getAlgorithm();
        try {
            if (JWSAlgorithm.Family.HMAC_SHA.contains(algorithm)) {
                return JWSAlgorithm.HS256.equals(algorithm) && legacySecret.isPresent()
                        ? Optional.of(new MACVerifier(legacySecret.get()))
                        : Optional.empty();
            }
            if (header.getKeyID() == null) {
                return Optional.empty();
            }
            var selector = new JWKSelector(new JWKMatcher.Builder().keyID(header.getKeyID()).build());
            for (JWK key : jwks.get(selector, null)) {
                if (algorithm.equals(algorithmOf(key)) && key.getKeyUse() != com.nimbusds.jose.jwk.KeyUse.ENCRYPTION) {
                    return Optional.of(verifier(key));
                }
            }
            return Optional.empty();
        } catch (JOSEException e) {
            // the JWKS could not be fetched (or not again so soon): the token cannot be verified, so it is refused
            return Optional.empty();
        }
    }

    /** The algorithm a published key is for: its {@code alg}, else what its type and curve allow. */
    static JWSAlgorithm algorithmOf(JWK key) {
        if (key.getAlgorithm() != null) {
            return JWSAlgorithm.parse(key.getAlgorithm().getName());
        }
        if (key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
            return JWSAlgorithm.ES256;
        }
        return KeyType.RSA.equals(key.getKeyType()) ? JWSAlgorithm.RS256 : null;
    }

    private static JWSVerifier verifier(JWK key) throws JOSEException {
        if (key instanceof ECKey ec) {
            return new ECDSAVerifier(ec.toECPublicKey());
        }
        return new RSASSAVerifier(((RSAKey) key).toRSAPublicKey());
    }
}
