package clinic.conformance.scenarios.vapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.conformance.fixtures.ConformanceTest;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.fixtures.seed.Clinic;
import clinic.conformance.fixtures.seed.Member;
import clinic.conformance.fixtures.vapi.ApiResponse;
import com.auth0.jwt.JWT;
import io.qameta.allure.AllureId;
import io.qameta.allure.Feature;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * V2: the credential Vapi holds for months (contract §1 v2): a clinic admin creates it, and Vapi's OAuth2 credential type
 * fetches short-lived tokens with it by the client-credentials grant (RFC 6749 §4.4) — exactly as Vapi sends it.
 */
@ConformanceTest
@DisplayName("V2 Vapi credential")
@Tag("extended")
@Tag("V2")
@Feature("V2 Vapi credential")
class VapiCredentialTests {
    private static final String CREDENTIALS = "/api/vapi/credentials";
    private static final String TOKEN_ENDPOINT = "/oauth/token";
    private final Fixtures fx;
    private Clinic clinic;
    private Member provider;
    private String adminToken;

    VapiCredentialTests(Fixtures fixtures) {
        this.fx = fixtures;
    }

    @BeforeAll
    void seed() {
        clinic = fx.seed().clinic("Vapi credential").insert();
        provider = fx.seed().provider(clinic).insert();
        adminToken = fx.tokens().of(clinic.admin());
    }

    @AfterAll
    void cleanUp() {
        fx.seed().cleanUp(clinic);
    }

    /** A new credential: its id, client_id and client_secret. */
    private record Credential(String id, String clientId, String secret) {
        String basic() {
            return "Basic " + Base64.getEncoder().encodeToString((form(clientId) + ":" + form(secret))
                    .getBytes(StandardCharsets.UTF_8));
        }

        private static String form(String text) {
            return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
        }
    }

    private Credential create() {
        ApiResponse created = fx.api().postJson(CREDENTIALS, Map.of("name", "Front desk assistant"), adminToken);
        assertThat(created.status()).as("POST %s by the clinic's admin: %s", CREDENTIALS, created).isEqualTo(201);
        var json = created.json();
        assertThat(json.getString("client_id")).isNotBlank();
        assertThat(json.getString("client_secret")).isNotBlank();
        return new Credential(json.getString("id"), json.getString("client_id"), json.getString("client_secret"));
    }

    /** Vapi's request: form-encoded client_credentials, the client in HTTP Basic. */
    private ApiResponse tokenFor(Credential credential) {
        return fx.api().postForm(TOKEN_ENDPOINT, Map.of("grant_type", "client_credentials"), credential.basic());
    }

    private ApiResponse bookWith(String token) {
        return fx.api().book(provider).send(token);
    }

    @Test
    @AllureId("V2.1")
    void theClientCredentialsGrantGivesAShortLivedClinicToken() {
        Credential credential = create();
        ApiResponse listed = fx.api().get(CREDENTIALS, adminToken);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).as("the list").contains(credential.clientId()).doesNotContain(credential.secret());

        ApiResponse issued = tokenFor(credential);
        assertThat(issued.status()).as("token request with HTTP Basic: %s", issued).isEqualTo(200);
        assertThat(issued.json().getString("token_type")).isEqualToIgnoringCase("bearer");
        long expiresIn = issued.json().getLong("expires_in");
        assertThat(expiresIn).as("expires_in").isBetween(1L, 3600L);
        var jwt = JWT.decode(issued.json().getString("access_token"));
        assertThat(jwt.getClaim("org_id").asString()).as("org_id").isEqualTo(clinic.id().toString());
        assertThat(jwt.getAudience()).as("aud").containsExactly("authenticated");
        assertThat(jwt.getClaim("role").asString()).as("role").isEqualTo("authenticated");
        assertThat(jwt.getClaim("client_id").asString()).as("client_id").isEqualTo(credential.clientId());
        assertThat(jwt.getExpiresAt().toInstant().getEpochSecond() - jwt.getIssuedAt().toInstant().getEpochSecond())
                .as("the token's life, s").isBetween(1L, 3600L);
        ApiResponse booked = bookWith(issued.json().getString("access_token"));
        assertThat(booked.status()).as("a booking with the credential's token: %s", booked).isEqualTo(200);

        var inBody = new LinkedHashMap<String, String>();
        inBody.put("grant_type", "client_credentials");
        inBody.put("client_id", credential.clientId());
        inBody.put("client_secret", credential.secret());
        assertThat(fx.api().postForm(TOKEN_ENDPOINT, inBody, null).status()).as("client_secret_post").isEqualTo(200);

        var wrong = new Credential(credential.id(), credential.clientId(), credential.secret() + "x");
        ApiResponse refused = tokenFor(wrong);
        assertThat(refused.status()).as("a wrong secret: %s", refused).isEqualTo(401);
        assertThat(refused.json().getString("error")).isEqualTo("invalid_client");
        var otherGrant = fx.api().postForm(TOKEN_ENDPOINT, Map.of("grant_type", "password"), credential.basic());
        assertThat(otherGrant.status()).as("another grant type: %s", otherGrant).isEqualTo(400);
        assertThat(otherGrant.json().getString("error")).isEqualTo("unsupported_grant_type");

        String providerToken = fx.tokens().of(provider);
        assertThat(fx.api().postJson(CREDENTIALS, Map.of(), providerToken).status())
                .as("a provider, not an admin, creating a credential").isEqualTo(403);
    }

    @Test
    @AllureId("V2.2")
    void aRevokedCredentialStopsWorkingWithinAMinute() {
        Credential credential = create();
        String token = tokenFor(credential).json().getString("access_token");
        assertThat(bookWith(token).status()).as("before revocation").isEqualTo(200);

        ApiResponse revoked = fx.api().delete(CREDENTIALS + "/" + credential.id(), adminToken);

        assertThat(revoked.status() / 100).as("DELETE: %s", revoked).isEqualTo(2);
        assertThat(tokenFor(credential).status()).as("a new token for a revoked credential").isEqualTo(401);
        await("the revoked credential's token is refused").atMost(Duration.ofSeconds(65)).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(bookWith(token).status()).isEqualTo(401));
    }
}
