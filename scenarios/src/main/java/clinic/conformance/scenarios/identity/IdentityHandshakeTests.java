package clinic.conformance.scenarios.identity;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.fixtures.ConformanceTest;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.fixtures.auth.AuthClient;
import clinic.conformance.fixtures.auth.SignUp;
import clinic.conformance.fixtures.database.TargetDatabase;
import clinic.conformance.fixtures.seed.Clinic;
import clinic.conformance.fixtures.seed.Member;
import io.qameta.allure.AllureId;
import io.qameta.allure.Feature;
import io.qameta.allure.Severity;
import io.qameta.allure.SeverityLevel;
import io.qameta.allure.Story;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@ConformanceTest
@DisplayName("S1 Identity handshake")
@Tag("S1")
@Feature("S1 Identity handshake")
class IdentityHandshakeTests {
    private static final String PASSWORD = "correct horse battery staple";
    private final Fixtures fx;
    private final String email = "signup-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    private final String orgName = "Signup Clinic " + UUID.randomUUID().toString().substring(0, 6);
    private AuthClient.Answer signup;
    private SignUp signedUpAs;
    private Clinic signedUp;
    private Clinic other;

    IdentityHandshakeTests(Fixtures fixtures) {
        this.fx = fixtures;
    }

    @BeforeAll
    void signUpANewClinic() {
        // only the signup itself: S1.1 and S1.3 must report a broken trigger as failed, not fail in setup
        signup = fx.auth().signUp(email, PASSWORD, orgName, "Dr. Ada Admin");
        signedUpAs = SignUp.of(fx.auth(), email, PASSWORD, signup);
    }

    @AfterAll
    void cleanUp() {
        fx.seed().cleanUp(signedUp, other);
        fx.database().asOwner(connection -> {
            try (var statement = connection.prepareStatement("delete from auth.users where email = ?")) {
                statement.setString(1, email);
                return statement.executeUpdate();
            }
        });
    }

    @Test
    @AllureId("S1.1")
    @Story("Signup")
    @Severity(SeverityLevel.BLOCKER)
    void signupCreatesTheOrganization() {
        assertThat(signup.status()).as("signup answer %s", signup).isEqualTo(200);
        assertThat(signup.userId()).as("user.id").isNotBlank();
        var orgs = fx.database().rows("select o.id, o.name from public.organizations o "
                + "join public.profiles p on p.org_id = o.id where p.id = ?::uuid", signup.userId());
        assertThat(orgs).as("the organization linked to the new user").hasSize(1);
        assertThat(orgs.get(0).get("name")).as("its name, from the signup's org_name").isEqualTo(orgName);
        signedUpAs.beforeConfirmation().ifPresent(before -> assertThat(before.accessToken())
                .as("a password grant before the e-mail is confirmed (the target asked for confirmation): %s", before)
                .isNull());
    }

    @Test
    @AllureId("S1.2")
    @Story("Token")
    @Severity(SeverityLevel.BLOCKER)
    @DisplayName("S1.2 the password-grant token carries org_id from the hook and verifies")
    void passwordGrantTokenCarriesOrgId() {
        signedUpAs.assumeSignedInPossible();
        var login = fx.auth().signIn(email, PASSWORD);
        assertThat(login.status()).as("password grant %s", login).isEqualTo(200);
        assertThat(login.json().getString("token_type")).as("token_type").isEqualToIgnoringCase("bearer");

        var token = fx.tokens().verify(login.accessToken());
        UUID profileOrg = profileOrg(login.userId());
        assertThat(token.getSubject()).as("sub").isEqualTo(login.userId());
        assertThat(String.valueOf(token.getClaim("org_id"))).as("org_id claim (from the hook)").isEqualTo(profileOrg.toString());
        var api = fx.api().get("/api/appointments?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", login.accessToken());
        assertThat(api.status()).as("the API accepts the token: %s", api).isEqualTo(200);
    }

    @Test
    @AllureId("S1.2")
    @Story("Token")
    @Severity(SeverityLevel.CRITICAL)
    @DisplayName("S1.2 a refreshed token carries org_id too, wrong passwords get nothing, and a refresh token works once")
    void refreshedTokensKeepOrgIdAndRefreshTokensWorkOnce() {
        signedUpAs.assumeSignedInPossible();
        var login = fx.auth().signIn(email, PASSWORD);
        var refreshed = fx.auth().refresh(login.refreshToken());
        var replayed = fx.auth().refresh(login.refreshToken());
        var wrong = fx.auth().signIn(email, PASSWORD + "!");
        var unknown = fx.auth().signIn("nobody-" + UUID.randomUUID() + "@example.test", PASSWORD);

        assertThat(refreshed.status()).as("refresh grant %s", refreshed).isEqualTo(200);
        assertThat(String.valueOf(fx.tokens().verify(refreshed.accessToken()).getClaim("org_id")))
                .as("org_id of the refreshed token").isEqualTo(profileOrg(login.userId()).toString());
        // GoTrue hands a client that lost the answer the session's current token again (its parent rule): reuse may
        // answer that same token, never a second live branch of the session
        assertThat(replayed.status() == 200 ? replayed.refreshToken() : "refused")
                .as("reusing a spent refresh token right away: refused, or the refreshed token again: %s", replayed)
                .isIn("refused", refreshed.refreshToken());
        assertThat(wrong.status()).as("wrong password: %s", wrong).isBetween(400, 499);
        assertThat(wrong.accessToken()).as("no token for a wrong password").isNull();
        assertThat(unknown.status()).as("unknown e-mail answers like a wrong password").isEqualTo(wrong.status());
        assertThat(unknown.json().getString("error_code")).isEqualTo(wrong.json().getString("error_code"));
    }

    @Test
    @AllureId("S1.3")
    @Story("Profile")
    @Severity(SeverityLevel.BLOCKER)
    void profileLinksTheUserToTheNewOrgAsAdmin() {
        var profiles = fx.database().rows("select p.id, p.org_id, p.role, p.full_name, o.name from public.profiles p "
                + "join public.organizations o on o.id = p.org_id where p.id = ?::uuid", signup.userId());

        assertThat(profiles).as("profiles of user %s", signup.userId()).hasSize(1);
        assertThat(profiles.get(0)).as("the profile")
                .containsEntry("id", UUID.fromString(signup.userId()))
                .containsEntry("role", "admin")
                .containsEntry("name", orgName)
                .containsEntry("full_name", "Dr. Ada Admin");
    }

    @Test
    @AllureId("S1.4")
    @Story("Row Level Security")
    @Severity(SeverityLevel.BLOCKER)
    void rlsShowsOwnRowsAndNoneOfAnotherOrg() {
        signedUpAs.assumeSignedInPossible();
        var login = fx.auth().signIn(email, PASSWORD);
        assertThat(login.status()).as("password grant %s", login).isEqualTo(200);
        UUID ownOrg = profileOrg(login.userId());
        signedUp = new Clinic(ownOrg, orgName, new Member(UUID.fromString(login.userId()), ownOrg, email, "admin"));
        other = fx.seed().clinic("Other clinic").insert();
        fx.seed().rowsIn(signedUp);
        fx.seed().rowsIn(other);
        String claims = payloadOf(login.accessToken());

        Map<String, String> tables = fx.database().tenantTables();
        assertThat(tables).as("tenant tables").containsKeys("organizations", "profiles", "appointments",
                "calendar_events", "knowledge_base", "audit_log");
        for (var table : tables.entrySet()) {
            String sql = "select count(*) filter (where %2$s = ?) as own, count(*) filter (where %2$s <> ?) as foreign_rows "
                    + "from public.%1$s";
            var counts = fx.database().asClaims(claims, connection -> TargetDatabase.rows(connection,
                    String.format(sql, table.getKey(), table.getValue()), ownOrg, ownOrg)).get(0);
            assertThat((Long) counts.get("foreign_rows")).as("%s rows of other orgs visible to the new user", table.getKey())
                    .isZero();
            assertThat((Long) counts.get("own")).as("%s rows of the user's own org visible", table.getKey()).isPositive();
        }
        var api = fx.api().get("/api/appointments?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", login.accessToken());
        assertThat(api.json().getList("appointments.org_id", String.class)).as("org_ids the API returns")
                .isNotEmpty().containsOnly(ownOrg.toString());
    }

    private UUID profileOrg(String userId) {
        var rows = fx.database().rows("select org_id from public.profiles where id = ?::uuid", userId);
        assertThat(rows).as("profile of %s", userId).hasSize(1);
        return (UUID) rows.get(0).get("org_id");
    }

    private static String payloadOf(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    }
}
