package clinic.conformance.embedded.server;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.embedded.EmbeddedTarget;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.server.config.ServerConfig;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The reference server's Supabase Auth endpoints refuse clearly, in Supabase Auth's shape, and reveal nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Reference server: identity endpoints")
class IdentityEndpointsIT {
    private EmbeddedTarget target;
    private Fixtures fx;

    @BeforeAll
    void start() {
        target = EmbeddedTarget.builder().withServerSetting(ServerConfig.AUTH_MAX_FAILURES_PER_EMAIL, "3").start();
        fx = Fixtures.forTarget(target.target());
    }

    @AfterAll
    void stop() {
        target.close();
    }

    private static String email() {
        return "it-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    }

    @Test
    void signupRefusalsAreClearAndShapedLikeSupabaseAuth() {
        String taken = email();
        assertThat(fx.auth().signUp(taken, "long enough", "Clinic", "A").status()).isEqualTo(200);

        var duplicate = fx.auth().signUp(taken, "long enough", "Clinic", "A");
        var weak = fx.auth().signUp(email(), "123", "Clinic", "A");
        var malformed = fx.auth().signUp("not-an-email", "long enough", "Clinic", "A");

        assertThat(duplicate.status()).isEqualTo(422);
        assertThat(duplicate.json().getString("error_code")).isEqualTo("user_already_exists");
        assertThat(weak.status()).isEqualTo(422);
        assertThat(weak.json().getString("error_code")).isEqualTo("weak_password");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().getString("msg")).contains("email");
    }

    @Test
    void repeatedFailuresAreRateLimitedWithoutRevealingWhetherTheEmailExists() {
        String known = email();
        fx.auth().signUp(known, "right password", "Clinic", "A");
        String unknown = email();
        for (int i = 0; i < 3; i++) {
            assertThat(fx.auth().signIn(known, "wrong").status()).isEqualTo(400);
            assertThat(fx.auth().signIn(unknown, "wrong").status()).isEqualTo(400);
        }

        var knownLocked = fx.auth().signIn(known, "right password");
        var unknownLocked = fx.auth().signIn(unknown, "right password");

        assertThat(knownLocked.status()).as("the right password after too many failures").isEqualTo(429);
        assertThat(unknownLocked.status()).as("an unknown e-mail is limited alike").isEqualTo(429);
    }

    @Test
    void anAdminAddsMembersOnlyToTheirOwnOrg() {
        var clinic = fx.seed().clinic("Invites").insert();
        var other = fx.seed().clinic("Elsewhere").insert();
        String adminToken = fx.tokens().forUser(clinic.admin()).sign();
        String invited = email();

        var added = members(adminToken, Map.of("email", invited, "role", "provider", "org_id", other.id().toString()));
        var asAdmin = members(adminToken, Map.of("email", email(), "role", "admin"));
        var staff = fx.seed().staff(clinic).insert();
        var byStaff = members(fx.tokens().forUser(staff).sign(), Map.of("email", email(), "role", "staff"));

        assertThat(added.statusCode()).as("admin adds a provider: %s", added.asString()).isEqualTo(201);
        assertThat(fx.database().rows("select p.org_id, p.role from public.profiles p join auth.users u using (id) "
                + "where u.email = ?", invited)).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("org_id", clinic.id()).containsEntry("role", "provider"));
        assertThat(asAdmin.statusCode()).as("nobody is invited as admin").isEqualTo(400);
        assertThat(byStaff.statusCode()).as("staff cannot invite").isEqualTo(403);
    }

    private io.restassured.response.Response members(String token, Map<String, String> body) {
        return RestAssured.given().baseUri(target.target().url().toString()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + token).body(body).post("/api/members");
    }
}
