package clinic.conformance.embedded.server;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.embedded.EmbeddedTarget;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.server.config.ServerConfig;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Contract §1 v2: the reference server's signing keys, its JWKS, and email confirmation as a setting. */
@DisplayName("Reference server: signing keys, JWKS and email confirmation")
class SigningKeysIT {

    private static String email() {
        return "keys-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    }

    @Test
    void itSignsEs256UnderTheKidItsJwksPublishesAndRefusesHs256WithoutALegacySecret() throws Exception {
        try (var target = EmbeddedTarget.start()) {
            var fx = Fixtures.forTarget(target.target());
            String email = email();
            var signup = fx.auth().signUp(email, "long enough password", "Keys clinic", "Dr. Key");
            String token = signup.accessToken();
            var header = SignedJWT.parse(token).getHeader();
            JWKSet published = JWKSet.parse(RestAssured.get(target.target().auth().authUrl() + "/.well-known/jwks.json").asString());

            assertThat(header.getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
            assertThat(published.getKeys()).singleElement().satisfies(key -> {
                assertThat(key.getKeyID()).isEqualTo(header.getKeyID());
                assertThat(key.isPrivate()).as("only the public half is published").isFalse();
            });
            assertThat(fx.api().get("/api/appointments?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", token).status())
                    .isEqualTo(200);
            String hs256 = com.auth0.jwt.JWT.create().withSubject(signup.userId()).withAudience("authenticated")
                    .withClaim("role", "authenticated").withClaim("org_id", UUID.randomUUID().toString())
                    .withIssuedAt(java.time.Instant.now()).withExpiresAt(java.time.Instant.now().plusSeconds(300))
                    .sign(com.auth0.jwt.algorithms.Algorithm.HMAC256("some legacy secret that is long enough!!"));
            assertThat(fx.api().get("/api/appointments?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", hs256).status())
                    .as("HS256 without a legacy secret").isEqualTo(401);
        }
    }

    @Test
    void withEmailConfirmationOnSignupGivesNoSessionAndThePasswordGrantSaysEmailNotConfirmed() {
        try (var target = EmbeddedTarget.builder().withServerSetting(ServerConfig.AUTH_EMAIL_CONFIRMATION, "on").start()) {
            var fx = Fixtures.forTarget(target.target());
            String email = email();
            var signup = fx.auth().signUp(email, "long enough password", "Unconfirmed clinic", "Dr. Wait");
            var login = fx.auth().signIn(email, "long enough password");
            var wrong = fx.auth().signIn(email, "a wrong password");

            assertThat(signup.status()).isEqualTo(200);
            assertThat(signup.accessToken()).as("no session before confirmation").isNull();
            assertThat(signup.json().getString("id")).as("the user, alone").isNotBlank();
            assertThat(signup.json().getString("confirmation_sent_at")).isNotBlank();
            assertThat(login.status()).isEqualTo(400);
            assertThat(login.json().getString("error_code")).isEqualTo("email_not_confirmed");
            assertThat(wrong.json().getString("error_code")).as("a wrong password learns nothing about confirmation")
                    .isEqualTo("invalid_credentials");

            var confirmed = RestAssured.given().contentType(ContentType.JSON)
                    // the secret key goes in apikey, as Supabase's gateway wants it (contract §1 v4)
                    .header("apikey", target.target().auth().serviceKey().orElseThrow())
                    .body(Map.of("email", email(), "password", "long enough password", "email_confirm", true,
                            "user_metadata", Map.of("org_name", "Confirmed clinic")))
                    .post(target.target().auth().authUrl() + "/admin/users");
            assertThat(confirmed.statusCode()).isEqualTo(200);
            assertThat(fx.auth().signIn(confirmed.jsonPath().getString("email"), "long enough password").status())
                    .as("a user the admin API confirmed signs in").isEqualTo(200);
        }
    }

    @Test
    void aLegacyProjectSignsHs256AndPublishesNoKey() throws Exception {
        try (var target = EmbeddedTarget.builder().withLegacySecret().start()) {
            var fx = Fixtures.forTarget(target.target());
            var signup = fx.auth().signUp(email(), "long enough password", "Legacy clinic", "Dr. Old");

            assertThat(SignedJWT.parse(signup.accessToken()).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
            assertThat(JWKSet.parse(RestAssured.get(target.target().auth().authUrl() + "/.well-known/jwks.json").asString())
                    .getKeys()).isEmpty();
            assertThat(fx.tokens().verify(signup.accessToken()).getSubject()).isEqualTo(signup.userId());
        }
    }
}
