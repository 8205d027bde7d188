package clinic.conformance.scenarios.platform;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.fixtures.ConformanceTest;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.fixtures.auth.SignUp;
import clinic.conformance.fixtures.seed.Clinic;
import clinic.conformance.fixtures.seed.Member;
import clinic.conformance.fixtures.seed.Slots;
import clinic.conformance.fixtures.seed.TenantRows;
import com.nimbusds.jwt.JWTClaimsSet;
import io.qameta.allure.AllureId;
import io.qameta.allure.Feature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * P2: what a member can change about themselves never changes their clinic or their role (contract §2, identity).
 * {@code user_metadata} ({@code raw_user_meta_data}) is the user's own: anyone writes it at sign-up and any signed-in
 * user rewrites it with {@code PUT /auth/v1/user}. A hook, trigger, policy or server that reads the org or the role
 * from it lets a member walk into another clinic under a token that looks genuine. Tried as a member would, with the
 * public auth API and their own session only.
 */
@ConformanceTest
@DisplayName("P2 Self-editable identity")
@Tag("extended")
@Tag("P2")
@Feature("P2 Self-editable identity")
class MemberMetadataTests {
    private static final String PASSWORD = "a long enough password";
    private static final String RANGE = "/api/appointments?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z";
    private final Fixtures fx;
    private final List<Clinic> made = new ArrayList<>();
    private Clinic clinicA;
    private Clinic clinicB;
    private TenantRows rowsB;
    private Member providerB;

    MemberMetadataTests(Fixtures fixtures) {
        this.fx = fixtures;
    }

    @BeforeAll
    void seed() {
        clinicA = fx.seed().clinic("Metadata A").insert();
        clinicB = fx.seed().clinic("Metadata B").insert();
        rowsB = fx.seed().rowsIn(clinicB);
        providerB = fx.seed().provider(clinicB).insert();
    }

    @AfterAll
    void cleanUp() {
        fx.seed().cleanUp(clinicA, clinicB);
        fx.seed().cleanUp(made.toArray(Clinic[]::new));
    }

    /** Every key a careless hook, trigger or policy might read the org or the role from, all naming clinic B. */
    private Map<String, Object> claimsOnB() {
        var data = new LinkedHashMap<String, Object>();
        for (String key : List.of("org_id", "orgId", "organization_id", "organizationId", "clinic_id", "tenant_id")) {
            data.put(key, clinicB.id().toString());
        }
        data.put("role", "admin");
        data.put("user_role", "admin");
        data.put("org_name", clinicB.name());
        return data;
    }

    @Test
    @AllureId("P2.1")
    void rewritingOwnMetadataChangesNothing() {
        Member staff = fx.seed().staff(clinicA).insert();
        var session = fx.tokens().session(staff);

        var edited = fx.auth().updateUser(session.accessToken(), Map.of("data", claimsOnB()));
        var refreshed = fx.auth().refresh(session.refreshToken());

        assertThat(edited.status()).as("PUT /auth/v1/user with data naming clinic B: %s", edited).isBetween(200, 499);
        assertThat(refreshed.status()).as("the refresh after the edit: %s", refreshed).isEqualTo(200);
        String token = refreshed.accessToken();
        assertIdentityIsOwn(fx.tokens().verify(token), staff, "the refreshed token");
        var user = fx.auth().user(token);
        assertThat(user.status()).as("GET /auth/v1/user: %s", user).isEqualTo(200);
        assertThat(user.json().getString("app_metadata.org_id")).as("app_metadata.org_id at GET /user")
                .isIn(null, clinicA.id().toString());
        assertThat(user.json().getString("app_metadata.role")).as("app_metadata.role at GET /user").isIn(null, staff.role());
        assertThat(fx.database().rows("select org_id, role from public.profiles where id = ?", staff.id()))
                .as("the member's profile").singleElement().satisfies(row -> {
                    assertThat(row.get("org_id")).as("profile org_id").isEqualTo(clinicA.id());
                    assertThat(row.get("role")).as("profile role").isEqualTo(staff.role());
                });
        assertTenantDataIsOwn(token, "the refreshed token");
    }

    @Test
    @AllureId("P2.2")
    void signingUpIntoAnotherClinicGetsNothingOfIt() {
        String email = "intruder-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        long membersOfB = membersOf(clinicB);

        var signedUp = fx.auth().signUpWith(email, PASSWORD, claimsOnB());
        SignUp.of(fx.auth(), email, PASSWORD, signedUp);

        assertThat(signedUp.status()).as("signup with data naming clinic B: %s", signedUp).isBetween(200, 499);
        assertThat(membersOf(clinicB)).as("members of clinic B after the signup").isEqualTo(membersOfB);
        var profile = profilesSignedUpAs(email);
        assertThat(profile).as("the new user's profile").allSatisfy(row ->
                assertThat(row.get("org_id")).as("the new user's org").isNotEqualTo(clinicB.id()));
        var login = fx.auth().signIn(email, PASSWORD);
        if (login.status() == 200) {
            var claims = fx.tokens().verify(login.accessToken());
            assertThat(String.valueOf(claims.getClaim("org_id"))).as("org_id of the new user's token")
                    .isNotEqualTo(clinicB.id().toString());
            assertTenantDataIsOwn(login.accessToken(), "the new user's token");
        }
    }

    @Test
    @AllureId("P2.3")
    void invitationsBelongToTheInviter() {
        Member attacker = fx.seed().staff(clinicA).insert();
        var session = fx.tokens().session(attacker);
        String taken = "invitee-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        var early = fx.auth().signUpWith(taken, PASSWORD, Map.of("org_name", "Squatter"));
        // confirmed as if the squatter held the mailbox: the worst case for the inviter
        SignUp.of(fx.auth(), taken, PASSWORD, early);
        profilesSignedUpAs(taken);
        assertThat(early.status()).as("the squatter's signup: %s", early).isBetween(200, 499);

        var invite = fx.auth().adminCreateUser(taken, "Invite-" + UUID.randomUUID(), Map.of(),
                Map.of("org_id", clinicB.id().toString(), "role", "admin"));
        var squatter = fx.auth().signIn(taken, PASSWORD);
        Member invitee = fx.seed().provider(clinicB).insert();
        var switched = fx.auth().updateUser(session.accessToken(), Map.of("email", invitee.email()));
        var refreshed = fx.auth().refresh(session.refreshToken());

        assertThat(invite.status()).as("inviting an address a user already holds: %s", invite).isBetween(200, 499);
        if (squatter.status() == 200) {
            assertThat(String.valueOf(fx.tokens().verify(squatter.accessToken()).getClaim("org_id")))
                    .as("org_id of the user who signed up first with the invited address").isNotEqualTo(clinicB.id().toString());
            assertTenantDataIsOwn(squatter.accessToken(), "the squatter's token");
        }
        assertThat(fx.database().count("select count(*) from public.profiles p join auth.users u on u.id = p.id "
                + "where lower(u.email) = lower(?) and p.org_id = ?", taken, clinicB.id()))
                .as("profiles in clinic B of the address taken before the invite (the invite went to a user the "
                        + "service role never made)").isZero();
        assertThat(switched.status()).as("switching one's e-mail to an invited member's: %s", switched).isBetween(200, 499);
        assertThat(refreshed.status()).as("the refresh after the e-mail change: %s", refreshed).isEqualTo(200);
        assertIdentityIsOwn(fx.tokens().verify(refreshed.accessToken()), attacker, "the token after the e-mail change");
        assertTenantDataIsOwn(refreshed.accessToken(), "the token after the e-mail change");
    }

    @Test
    @AllureId("P2.4")
    void theApiAndRlsNeverReadUserMetadata() {
        Member staff = fx.seed().staff(clinicA).insert();
        var session = fx.tokens().session(staff);
        fx.auth().updateUser(session.accessToken(), Map.of("data", claimsOnB()));
        String token = fx.auth().refresh(session.refreshToken()).accessToken();
        JWTClaimsSet claims = fx.tokens().verify(token);
        if (!(claims.getClaim("user_metadata") instanceof Map<?, ?> metadata) || !clinicB.id().toString().equals(metadata.get("org_id"))) {
            // the target keeps user_metadata out of its tokens; a token that carries it is what a hook would see
            token = fx.tokens().forUser(staff).withClaim("user_metadata", claimsOnB()).withClaim("user_role", staff.role())
                    .sign();
            claims = fx.tokens().verify(token);
        }
        assertTenantDataIsOwn(token, "a token whose user_metadata names clinic B");
        String claimsJson = com.nimbusds.jose.util.JSONObjectUtils.toJSONString(claims.toJSONObject());
        var seen = fx.database().asClaims(claimsJson, connection -> {
            var result = new LinkedHashMap<String, Long>();
            for (var table : fx.database().tenantTables().entrySet()) {
                result.put(table.getKey(), clinic.conformance.fixtures.database.TargetDatabase.single(connection,
                        "select count(*) from public." + table.getKey() + " where " + table.getValue() + " = ?", clinicB.id()));
            }
            return result;
        });
        assertThat(seen).as("clinic B's rows visible under RLS to those claims, by table").allSatisfy((table, count) ->
                assertThat(count).as("rows of clinic B in %s", table).isZero());
        String written = fx.database().asClaims(claimsJson, connection -> {
            try (var statement = connection.createStatement()) {
                statement.executeUpdate("insert into public.appointments (org_id, clinic_id, provider_id, patient_name, "
                        + "patient_email, scheduled_at, duration_minutes, google_calendar_event_id) values ('" + clinicB.id()
                        + "', '" + clinicB.id() + "', '" + providerB.id() + "', 'Metadata', 'metadata@example.test', '"
                        + Slots.fresh() + "', 30, replace(gen_random_uuid()::text, '-', ''))");
                connection.rollback();
                return "inserted";
            } catch (java.sql.SQLException refused) {
                return refused.getSQLState();
            }
        });
        assertThat(written).as("INSERT into clinic B's appointments under those claims (S4.2's refusal)").isEqualTo("42501");
    }

    private void assertIdentityIsOwn(JWTClaimsSet claims, Member member, String what) {
        assertThat(String.valueOf(claims.getClaim("org_id"))).as("org_id of %s", what).isEqualTo(member.orgId().toString());
        assertThat(claims.getClaim("role")).as("role of %s", what).isEqualTo("authenticated");
        Object userRole = claims.getClaim("user_role");
        assertThat(userRole).as("user_role of %s", what).isIn(null, member.role());
        if (claims.getClaim("app_metadata") instanceof Map<?, ?> app) {
            assertThat(app.get("org_id")).as("app_metadata.org_id of %s", what).isIn(null, member.orgId().toString());
            assertThat(app.get("role")).as("app_metadata.role of %s", what).isIn(null, member.role());
        }
    }

    /** Under {@code token}: none of clinic B's appointments listed or read, and nothing booked with B's provider. */
    private void assertTenantDataIsOwn(String token, String what) {
        UUID appointmentOfB = rowsB.ids().get("appointments");
        var listed = fx.api().get(RANGE, token);
        assertThat(listed.status()).as("GET /api/appointments under %s: %s", what, listed).isEqualTo(200);
        assertThat(listed.body()).as("the list under %s", what).doesNotContain(appointmentOfB.toString())
                .doesNotContain(clinicB.id().toString());
        var read = fx.api().get("/api/appointments/" + appointmentOfB, token);
        assertThat(read.status()).as("clinic B's appointment read under %s: %s", what, read).isIn(403, 404);
        long before = fx.database().count("select count(*) from public.appointments where org_id = ?", clinicB.id());
        var booked = fx.api().book(providerB).send(token);
        assertThat(booked.refusalCode()).as("booking clinic B's provider under %s: %s", what, booked)
                .isIn("forbidden", "provider_not_found", "not_found");
        assertThat(fx.database().count("select count(*) from public.appointments where org_id = ?", clinicB.id()))
                .as("clinic B's appointments after that booking").isEqualTo(before);
    }

    /** The profiles a sign-up with {@code email} made; each one's org is cleaned up after the class. */
    private List<Map<String, Object>> profilesSignedUpAs(String email) {
        var profiles = fx.database().rows("select p.org_id, p.role from public.profiles p join auth.users u on u.id = p.id "
                + "where lower(u.email) = lower(?)", email);
        profiles.forEach(row -> made.add(new Clinic((UUID) row.get("org_id"), "signup " + email,
                new Member(UUID.randomUUID(), (UUID) row.get("org_id"), email, String.valueOf(row.get("role"))))));
        return profiles;
    }

    private long membersOf(Clinic clinic) {
        return fx.database().count("select count(*) from public.profiles where org_id = ?", clinic.id());
    }
}
