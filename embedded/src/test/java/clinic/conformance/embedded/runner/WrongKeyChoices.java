package clinic.conformance.embedded.runner;

import clinic.conformance.server.auth.TokenVerifier;
import clinic.conformance.server.config.ServerConfig;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The wrong choices of key a verifier can make (X1.24–X1.30), each a {@link TokenVerifier} of the reference server
 * with one decision swapped: the real keys and claim checks otherwise, so only the attack on that choice kills it.
 */
final class WrongKeyChoices {
    private WrongKeyChoices() {
    }

    /** A verifier that deviates where {@code choice} returns a verifier, and is the reference server's elsewhere. */
    static TokenVerifier deviating(ServerConfig config, BiFunction<SignedJWT, JWKSet, Optional<JWSVerifier>> choice) {
        JWKSet own = config.signingKey().publicKeys();
        return new TokenVerifier(config.verificationKeys(config.signingKey())) {
            @Override
            protected Optional<JWSVerifier> verifierFor(SignedJWT token) {
                return choice.apply(token, own).or(() -> super.verifierFor(token));
            }
        };
    }

    /** Trusts an asymmetric token whose kid it does not publish, unverified. */
    static Optional<JWSVerifier> unknownKidUnverified(SignedJWT token, JWKSet own) {
        JWSHeader header = token.getHeader();
        boolean asymmetric = !JWSAlgorithm.Family.HMAC_SHA.contains(header.getAlgorithm());
        return asymmetric && header.getKeyID() != null && own.getKeyByKeyId(header.getKeyID()) == null
                ? Optional.of(ACCEPTS_ALL) : Optional.empty();
    }

    /** Finds keys at the token's own {@code iss} (multi-project discovery), trusting any issuer. */
    static Optional<JWSVerifier> issuerDiscovery(SignedJWT token, JWKSet own) {
        try {
            Object issuer = token.getJWTClaimsSet().getIssuer();
            return issuer == null ? Optional.empty()
                    : byKid(JWKSet.load(URI.create(issuer + "/.well-known/jwks.json").toURL()), token);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Takes the algorithm from the token: HS256 with the published public key (PEM) as the secret. */
    static Optional<JWSVerifier> algorithmFromToken(SignedJWT token, JWKSet own) {
        if (!JWSAlgorithm.HS256.equals(token.getHeader().getAlgorithm()) || own.getKeys().isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] der = own.getKeys().get(0).toECKey().toECPublicKey().getEncoded();
            String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
            return Optional.of(new MACVerifier(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (JOSEException e) {
            return Optional.empty();
        }
    }

    /** Follows the {@code jku} header to a key set. */
    static Optional<JWSVerifier> followsJku(SignedJWT token, JWKSet own) {
        try {
            URI jku = token.getHeader().getJWKURL();
            return jku == null ? Optional.empty() : byKid(JWKSet.load(jku.toURL()), token);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Follows the {@code x5u} header to a certificate and trusts its key. */
    static Optional<JWSVerifier> followsX5u(SignedJWT token, JWKSet own) {
        URI x5u = token.getHeader().getX509CertURL();
        if (x5u == null) {
            return Optional.empty();
        }
        try (InputStream in = x5u.toURL().openStream()) {
            var certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            return Optional.of(new ECDSAVerifier((ECPublicKey) certificate.getPublicKey()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Trusts the key the token carries in its {@code jwk} header. */
    static Optional<JWSVerifier> trustsEmbeddedJwk(SignedJWT token, JWKSet own) {
        try {
            JWK embedded = token.getHeader().getJWK();
            return embedded == null ? Optional.empty() : Optional.of(new ECDSAVerifier(embedded.toECKey()));
        } catch (JOSEException e) {
            return Optional.empty();
        }
    }

    /** Accepts an ECDSA signature of zeros, as Java 15–18's verifier did before its April 2022 fix. */
    static Optional<JWSVerifier> psychicSignatures(SignedJWT token, JWKSet own) {
        byte[] signature = token.getSignature().decode();
        boolean zeros = signature.length > 0;
        for (byte b : signature) {
            zeros &= b == 0;
        }
        return zeros && JWSAlgorithm.ES256.equals(token.getHeader().getAlgorithm()) ? Optional.of(ACCEPTS_ALL) : Optional.empty();
    }

    private static Optional<JWSVerifier> byKid(JWKSet keys, SignedJWT token) throws JOSEException {
        JWK key = keys.getKeyByKeyId(token.getHeader().getKeyID());
        return key instanceof ECKey ec ? Optional.of(new ECDSAVerifier(ec)) : Optional.empty();
    }

    private static final JWSVerifier ACCEPTS_ALL = new JWSVerifier() {
        private final JCAContext context = new JCAContext();

        @Override
        public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
            return true;
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256);
        }

        @Override
        public JCAContext getJCAContext() {
            return context;
        }
    };
}
