package clinic.conformance.scenarios.security;

import static clinic.conformance.fixtures.assertions.AppointmentShape.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.fixtures.ConformanceTest;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.fixtures.database.TargetDatabase;
import clinic.conformance.fixtures.seed.Clinic;
import clinic.conformance.fixtures.seed.Member;
import clinic.conformance.fixtures.vapi.BookingCall;
import io.qameta.allure.AllureId;
import io.qameta.allure.Feature;
import io.qameta.allure.Severity;
import io.qameta.allure.SeverityLevel;
import io.qameta.allure.Story;
import java.time.Duration;
import java.time.OffsetDateTime;
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

@ConformanceTest
@DisplayName("S4 Security aggressor")
@Tag("S4")
@Feature("S4 Security aggressor")
class SecurityAggressorTests {
    private final Fixtures fx;
    private Clinic clinicA;
    private Clinic clinicB;
    private Member providerA;
    private Member providerB;
    private TenantAttack attack;
    private Map<String, String> tables;
    private final Map<String, List<String>> before = new LinkedHashMap<>();

    SecurityAggressorTests(Fixtures fixtures) {
        this.fx = fixtures;
    }

    @BeforeAll
    void seedTheVictim() {
        clinicA = fx.seed().clinic("Aggressor").insert();
        clinicB = fx.seed().clinic("Victim").insert();
        providerA = fx.seed().provider(clinicA).insert();
        fx.seed().rowsIn(clinicB);
        providerB = firstProvider(clinicB);
        fx.seed().rowsIn(clinicA);
        attack = new TenantAttack(fx.database(), clinicA.admin(), clinicB.id());
        tables = fx.database().tenantTables();
        tables.forEach((table, column) -> before.put(table, attack.snapshot(table, column)));
    }

    @AfterAll
    void cleanUp() {
        fx.seed().cleanUp(clinicA, clinicB);
    }

    @Test
    @AllureId("S4.1")
    @Story("Row Level Security")
    @Severity(SeverityLevel.BLOCKER)
    void selectSeesNothingOfAnotherOrg() {
        for (var table : tables.entrySet()) {
            assertThat(before.get(table.getKey())).as("org B has rows in %s to hide", table.getKey()).isNotEmpty();
            var outcome = attack.select(table.getKey(), table.getValue());
            assertThat(outcome.refused() ? 0 : outcome.rows()).as("%s: B's rows visible to A (%s)", table.getKey(), outcome)
                    .isZero();
        }
        // the target's own tables the contract does not describe: never seeded, checked generically
        for (String table : fx.database().extraTenantTables().keySet()) {
            assertThat(fx.database().count("select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                    + "where n.nspname = 'public' and c.relname = ? and c.relrowsecurity and c.relforcerowsecurity", table))
                    .as("RLS enabled and forced on the target's own table %s", table).isEqualTo(1);
            long foreign = fx.database().asMember(clinicA.admin(), connection -> TargetDatabase.single(connection,
                    "select count(*) from public." + table + " where org_id <> ?", clinicA.id()));
            assertThat(foreign).as("rows of other orgs A sees in the target's own table %s", table).isZero();
        }
    }

    @Test
    @AllureId("S4.2")
    @Story("Row Level Security")
    @Severity(SeverityLevel.BLOCKER)
    void insertIntoAnotherOrgFailsWith42501() {
        for (var table : tables.entrySet()) {
            var outcome = attack.insertCopyOf(table.getKey(), table.getValue(), before.get(table.getKey()).get(0));
            assertThat(outcome.sqlState()).as("%s: inserting a row for org B (%s)", table.getKey(), outcome).isEqualTo("42501");
        }
        assertUnchanged();
    }

    @Test
    @AllureId("S4.3")
    @Story("Row Level Security")
    @Severity(SeverityLevel.BLOCKER)
    void updateOfAnotherOrgChangesNothing() {
        for (var table : tables.entrySet()) {
            var touched = attack.update(table.getKey(), table.getValue());
            var stolen = attack.steal(table.getKey(), table.getValue());
            assertThat(touched.rows()).as("%s: B's rows updated (%s)", table.getKey(), touched).isZero();
            assertThat(stolen.rows()).as("%s: B's rows moved into A's org (%s)", table.getKey(), stolen).isZero();
        }
        assertUnchanged();
    }

    @Test
    @AllureId("S4.4")
    @Story("Row Level Security")
    @Severity(SeverityLevel.BLOCKER)
    void deleteOfAnotherOrgRemovesNothing() {
        for (var table : tables.entrySet()) {
            var outcome = attack.delete(table.getKey(), table.getValue());
            assertThat(outcome.rows()).as("%s: B's rows deleted (%s)", table.getKey(), outcome).isZero();
        }
        assertUnchanged();
    }

    @Test
    @AllureId("S4.5")
    @Story("Tokens")
    @Severity(SeverityLevel.BLOCKER)
    void theApiRefusesForgedTokens() {
        var token = fx.tokens().forUser(clinicA.admin());
        String genuine = token.sign();
        var attempts = new LinkedHashMap<String, String>();
        attempts.put("tampered org_id, old signature", fx.tokens().forUser(clinicA.admin())
                .withClaim("org_id", clinicB.id().toString()).tamperedFrom(genuine));
        attempts.put("re-signed with another key", fx.tokens().forUser(clinicA.admin())
                .signWith("attacker-chosen-secret-of-sufficient-length"));
        attempts.put("alg none", fx.tokens().forUser(clinicA.admin()).unsigned());
        attempts.put("expired", fx.tokens().forUser(clinicA.admin()).expiredFor(Duration.ofMinutes(2)).sign());
        attempts.put("no org_id claim", fx.tokens().forUser(clinicA.admin()).withoutClaim("org_id").sign());
        attempts.put("no exp claim", fx.tokens().forUser(clinicA.admin()).withoutClaim("exp").sign());

        var toolCallIds = new ArrayList<String>();
        for (var attempt : attempts.entrySet()) {
            BookingCall call = fx.api().book(providerA);
            toolCallIds.add(call.toolCallId());
            assertRefused(call.send(attempt.getValue()), 401, "unauthorized");
            var read = fx.api().get("/api/appointments?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", attempt.getValue());
            assertThat(read.status()).as("%s on GET /api/appointments", attempt.getKey()).isEqualTo(401);
        }
        assertThat(fx.database().count("select count(*) from public.appointments where vapi_tool_call_id = any(?)",
                (Object) toolCallIds.toArray(String[]::new))).as("rows created by refused tokens").isZero();
    }

    @Test
    @AllureId("S4.6")
    @Story("Audit")
    @Severity(SeverityLevel.BLOCKER)
    void refusedAttemptsAreAuditedImmutably() {
        OffsetDateTime started = OffsetDateTime.now().minusSeconds(5);
        String tokenA = fx.tokens().of(clinicA.admin());
        assertRefused(fx.api().book(providerB).send(tokenA), 403, "forbidden");
        assertRefused(fx.api().book(providerA).inClinic(clinicB.id()).send(tokenA), 403, "forbidden");
        var asked = fx.api().ask("What are your opening hours?").inClinic(clinicB.id()).send(tokenA);
        assertThat(asked.status()).as("answer_question in B's clinic: %s", asked).isEqualTo(403);

        var audit = fx.database().rows("select id, actor_id, action, target_org_id, status from public.audit_log "
                + "where org_id = ? and actor_id = any(?) and target_org_id = ? and created_at >= ?",
                clinicA.id(), fx.api().actorsOf(clinicA.admin()), clinicB.id(), started);
        assertThat(audit).as("audit rows for the three refused attempts").hasSizeGreaterThanOrEqualTo(3);
        assertThat(audit).allSatisfy(row -> {
            assertThat((String) row.get("action")).as("action").isNotBlank();
            assertThat((String) row.get("status")).as("status").isNotBlank();
        });

        var tamper = new TenantAttack(fx.database(), clinicA.admin(), clinicA.id());
        List<String> own = tamper.snapshot("audit_log", "org_id");
        var altered = tamper.update("audit_log", "org_id");
        var deleted = tamper.delete("audit_log", "org_id");
        assertThat(altered.rows()).as("A altering its own org's audit rows (%s)", altered).isZero();
        assertThat(deleted.rows()).as("A deleting its own org's audit rows (%s)", deleted).isZero();
        assertThat(tamper.snapshot("audit_log", "org_id")).as("A's org's audit rows afterwards").isEqualTo(own);
    }

    private void assertUnchanged() {
        tables.forEach((table, column) -> assertThat(attack.snapshot(table, column))
                .as("org B's rows in %s, byte for byte, as the owner sees them", table).isEqualTo(before.get(table)));
    }

    private Member firstProvider(Clinic clinic) {
        var row = fx.database().rows("select id from public.profiles where org_id = ? and role = 'provider' limit 1",
                clinic.id()).get(0);
        return new Member((UUID) row.get("id"), clinic.id(), "provider@b", "provider");
    }
}
