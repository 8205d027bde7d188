package clinic.conformance.scenarios.platform;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.fixtures.ConformanceTest;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.fixtures.auth.SignUp;
import clinic.conformance.fixtures.seed.Clinic;
import clinic.conformance.fixtures.seed.Member;
import clinic.conformance.fixtures.seed.Slots;
import clinic.conformance.fixtures.seed.TenantRows;
import io.qameta.allure.AllureId;
import io.qameta.allure.Feature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * P1: what a hosted Supabase project exposes (contract §2 v2). Its default privileges grant {@code anon} and
 * {@code authenticated} every new table and function in {@code public}, and the Data API publishes them, with the
 * {@code anon} key in every browser. Checked in the target's catalog and as the roles themselves; the classes are
 * those of Supabase's database linter (security definer views, RLS disabled or not forced, permissive policies).
 */
@ConformanceTest
@DisplayName("P1 Supabase platform")
@Tag("extended")
@Tag("P1")
@Feature("P1 Supabase platform")
class SupabasePlatformTests {
    private static final List<String> API_ROLES = List.of("anon", "authenticated");
    private final Fixtures fx;
    private Map<String, String> tables;
    private Clinic clinicA;
    private Clinic clinicB;
    private TenantRows rowsA;
    private Member providerA;
    private String tokenA;

    SupabasePlatformTests(Fixtures fixtures) {
        this.fx = fixtures;
    }

    @BeforeAll
    void seed() {
        tables = fx.database().allTenantTables();
        clinicA = fx.seed().clinic("Platform A").insert();
        clinicB = fx.seed().clinic("Platform B").insert();
        rowsA = fx.seed().rowsIn(clinicA);
        providerA = fx.seed().provider(clinicA).insert();
        tokenA = fx.tokens().of(clinicA.admin());
    }

    @AfterAll
    void cleanUp() {
        fx.seed().cleanUp(clinicA, clinicB);
    }

    /** The privileges a role holds on the tenant tables, as "table: privilege" lines. */
    private List<String> grantsOf(String role, String... privileges) {
        var found = new ArrayList<String>();
        for (String table : tables.keySet()) {
            for (String privilege : privileges) {
                if (fx.database().count("select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                        + "where n.nspname = 'public' and c.relname = ? and has_table_privilege(?, c.oid, ?)",
                        table, role, privilege) > 0) {
                    found.add(table + ": " + privilege);
                }
            }
        }
        return found;
    }

    @Test
    @AllureId("P1.1")
    void nothingIsReachableAsAnon() {
        assertThat(grantsOf("anon", "select", "insert", "update", "delete", "truncate", "references", "trigger"))
                .as("anon's privileges on tenant tables (the anon key ships in every browser)").isEmpty();
        assertThat(fx.database().rows("""
                select p.oid::regprocedure::text as function from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                where n.nspname = 'public' and p.prosecdef and has_function_privilege('anon', p.oid, 'execute')"""))
                .as("security definer functions anon can call as /rest/v1/rpc/…").isEmpty();
        for (String table : tables.keySet()) {
            var state = fx.database().asClaims("{\"role\": \"anon\"}", connection -> {
                try (var statement = connection.createStatement()) {
                    statement.execute("set local role anon");
                    statement.executeQuery("select 1 from public." + table + " limit 1");
                    return "read";
                } catch (java.sql.SQLException e) {
                    return e.getSQLState();
                }
            });
            assertThat(state).as("SELECT on %s as anon", table).isEqualTo("42501");
        }
    }

    @Test
    @AllureId("P1.2")
    void noApiRoleTruncatesOrReferences() {
        for (String role : API_ROLES) {
            assertThat(grantsOf(role, "truncate", "references", "trigger")).as("%s's TRUNCATE/REFERENCES/TRIGGER", role)
                    .isEmpty();
        }
        assertThat(grantsOf("service_role", "truncate")).as("service_role's TRUNCATE (RLS does not stop it)").isEmpty();
    }

    @Test
    @AllureId("P1.3")
    void noRowLevelSecurityBypass() {
        for (String table : tables.keySet()) {
            assertThat(fx.database().count("select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                    + "where n.nspname = 'public' and c.relname = ? and c.relrowsecurity and c.relforcerowsecurity", table))
                    .as("RLS enabled and forced on %s", table).isEqualTo(1);
        }
        assertThat(fx.database().rows("""
                select tablename, policyname, cmd from pg_policies
                where schemaname = 'public' and tablename = any(?::text[])
                  and roles && array['public', 'anon', 'authenticated']::name[]
                  and (coalesce(qual, 'true') in ('true', '(true)') and cmd in ('SELECT', 'UPDATE', 'DELETE', 'ALL')
                       or coalesce(with_check, qual, 'true') in ('true', '(true)') and cmd in ('INSERT', 'UPDATE', 'ALL'))""",
                (Object) tables.keySet().toArray(String[]::new)))
                .as("policies for API roles that let every row through").isEmpty();
        assertThat(fx.database().rows("""
                select c.relname as view from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = 'public' and c.relkind in ('v', 'm')
                  and not coalesce(c.reloptions @> array['security_invoker=true'], false)
                  and (has_table_privilege('anon', c.oid, 'select') or has_table_privilege('authenticated', c.oid, 'select'))"""))
                .as("views the API roles can read that run as their owner (security definer views)").isEmpty();
        assertThat(fx.database().rows("""
                select p.oid::regprocedure::text as function from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                  join pg_type t on t.oid = p.prorettype
                where n.nspname = 'public' and p.prosecdef and (p.proretset or t.typtype = 'c')
                  and has_function_privilege('authenticated', p.oid, 'execute')"""))
                .as("security definer functions members can call that return rows").isEmpty();
    }

    @Test
    @AllureId("P1.4")
    void noMemberMovesARowIntoAnotherOrg() {
        var moved = new ArrayList<String>();
        for (var table : fx.database().tenantTables().entrySet()) {
            if (table.getValue().equals("id")) {
                continue;
            }
            // no WHERE: one that reads the row also holds the new row to the SELECT policy, which would hide a
            // permissive WITH CHECK; a Data API PATCH whose filter reads no column does not
            int updated = fx.database().asMember(clinicA.admin(), connection -> {
                try (var statement = connection.prepareStatement("update public." + table.getKey() + " set "
                        + table.getValue() + " = ?")) {
                    statement.setObject(1, clinicB.id());
                    return statement.executeUpdate();
                } catch (java.sql.SQLException refused) {
                    return 0;
                }
            });
            if (updated > 0) {
                moved.add(table.getKey());
            }
        }
        assertThat(moved).as("rows of A now in B's org (an UPDATE policy without WITH CHECK)").isEmpty();
    }

    @Test
    @AllureId("P1.5")
    void aCancelledSlotIsBookableAgain() {
        var slot = Slots.fresh();
        var first = fx.api().book(providerA).at(slot).send(tokenA);
        assertThat(first.status()).as("the first booking: %s", first).isEqualTo(200);

        var cancelled = fx.api().postJson("/api/appointments/" + first.appointmentId() + "/cancel", Map.of(), tokenA);
        var again = fx.api().book(providerA).at(slot).send(tokenA);

        assertThat(cancelled.status()).as("cancel: %s", cancelled).isEqualTo(200);
        assertThat(again.status()).as("the same slot after the cancellation: %s", again).isEqualTo(200);
        assertThat(fx.database().count("select count(*) from public.appointments where provider_id = ? and "
                + "scheduled_at = ? and status = 'booked'", providerA.id(), slot)).as("booked rows in the slot").isEqualTo(1);
    }

    @Test
    @AllureId("P1.6")
    void aSignedOutSessionCannotRefresh() {
        String email = "signout-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        var signedUp = fx.auth().signUp(email, "a long enough password", "Sign-out clinic", "Dr. Out");
        assertThat(signedUp.status()).as("signup %s", signedUp).isEqualTo(200);
        var asPerson = SignUp.of(fx.auth(), email, "a long enough password", signedUp);
        var profile = fx.database().rows("select org_id from public.profiles where id = ?::uuid", signedUp.userId());
        var clinic = new Clinic((java.util.UUID) profile.get(0).get("org_id"), "Sign-out clinic",
                new Member(java.util.UUID.fromString(signedUp.userId()), (java.util.UUID) profile.get(0).get("org_id"),
                        email, "admin"));
        try {
            asPerson.assumeSignedInPossible();
            var session = fx.auth().signIn(email, "a long enough password");
            assertThat(session.status()).as("sign in %s", session).isEqualTo(200);

            var signedOut = fx.auth().signOut(session.accessToken());
            var refreshed = fx.auth().refresh(session.refreshToken());

            assertThat(signedOut.status() / 100).as("POST /auth/v1/logout: %s", signedOut).isEqualTo(2);
            assertThat(refreshed.status()).as("refreshing the signed-out session: %s", refreshed).isBetween(400, 401);
            assertThat(refreshed.json().getString("access_token")).as("a new access token").isNull();
        } finally {
            fx.seed().cleanUp(clinic);
        }
    }
}
