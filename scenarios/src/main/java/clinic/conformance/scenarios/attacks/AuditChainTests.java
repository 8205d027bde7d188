package clinic.conformance.scenarios.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.fixtures.ConformanceTest;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.fixtures.seed.Clinic;
import io.qameta.allure.AllureId;
import io.qameta.allure.Feature;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * X4: the audit log is tamper-evident. The harness recomputes every row's hash itself, with the formula of
 * docs/decisions.md, and pinpoints a row altered or deleted behind the API's back.
 */
@ConformanceTest
@DisplayName("X4 Tamper-evident audit")
@Tag("extended")
@Tag("X4")
@Feature("X4 Tamper-evident audit")
class AuditChainTests {
    /** Rows whose link to the previous row, or whose own hash, does not hold; in seq order. */
    static final String BROKEN_ROWS = """
            with chain as (
              select seq, id, prev_hash, row_hash,
                     coalesce(lag(row_hash) over (order by seq), '') as expected_prev,
                     encode(sha256(convert_to(concat_ws('|', prev_hash, id::text, org_id::text, coalesce(actor_id::text, ''),
                       action, coalesce(target_org_id::text, ''), status, details::text,
                       to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')), 'UTF8')), 'hex') as expected_hash
              from public.audit_log where org_id = ?)
            select seq, id, prev_hash is distinct from expected_prev as broken_link,
                   row_hash is distinct from expected_hash as altered
            from chain where prev_hash is distinct from expected_prev or row_hash is distinct from expected_hash
            order by seq""";
    private final Fixtures fx;
    private Clinic clinic;
    private Clinic other;

    AuditChainTests(Fixtures fixtures) {
        this.fx = fixtures;
    }

    @BeforeAll
    void writeSomeAuditRows() {
        clinic = fx.seed().clinic("Chain").insert();
        other = fx.seed().clinic("Chain victim").insert();
        var provider = fx.seed().rowsIn(other);
        String token = fx.tokens().of(clinic.admin());
        for (int i = 0; i < 4; i++) {
            var refused = fx.api().book(fx.seed().provider(other).insert()).send(token);
            assertThat(refused.status()).as("a refused cross-org booking %s", refused).isEqualTo(403);
        }
        assertThat(provider.ids()).isNotEmpty();
    }

    @AfterAll
    void cleanUp() {
        fx.seed().cleanUp(clinic, other);
    }

    @Test
    @AllureId("X4.1")
    void theChainHolds() {
        var rows = fx.database().rows("select seq, prev_hash, row_hash from public.audit_log where org_id = ? order by seq",
                clinic.id());
        assertThat(rows).as("audit rows of the clinic").hasSizeGreaterThanOrEqualTo(4);
        assertThat(rows).allSatisfy(row -> assertThat((String) row.get("row_hash")).as("row_hash").matches("[0-9a-f]{64}"));
        assertThat(broken(clinic.id())).as("rows whose hash or link does not hold").isEmpty();
        assertThat(broken(other.id())).as("the other org's chain").isEmpty();
    }

    @Test
    @AllureId("X4.2")
    void anAlteredRowIsPinpointed() {
        var victim = middleRow();
        UUID id = (UUID) victim.get("id");
        String status = (String) victim.get("status");
        fx.database().asOwner(c -> update(c, "update public.audit_log set status = 'nothing happened' where id = ?", id));
        try {
            var broken = broken(clinic.id());
            assertThat(broken).as("rows flagged after altering row %s", id).hasSize(1);
            assertThat(broken.get(0)).containsEntry("id", id).containsEntry("altered", true);
        } finally {
            fx.database().asOwner(c -> update(c, "update public.audit_log set status = '" + status.replace("'", "''")
                    + "' where id = ?", id));
        }
        assertThat(broken(clinic.id())).as("the chain once the row is restored").isEmpty();
    }

    @Test
    @AllureId("X4.3")
    void aDeletedRowIsPinpointed() {
        var victim = middleRow();
        long seq = (Long) victim.get("seq");
        var copy = fx.database().rows("select * from public.audit_log where id = ?", victim.get("id")).get(0);
        fx.database().asOwner(c -> update(c, "delete from public.audit_log where id = ?", victim.get("id")));
        try {
            var broken = broken(clinic.id());
            assertThat(broken).as("rows flagged after deleting seq %d", seq).hasSize(1);
            assertThat((Long) broken.get(0).get("seq")).as("the row after the gap").isGreaterThan(seq);
            assertThat(broken.get(0)).containsEntry("broken_link", true).containsEntry("altered", false);
        } finally {
            fx.database().asOwner(c -> update(c, "insert into public.audit_log overriding system value "
                    + "select * from jsonb_populate_record(null::public.audit_log, ?::jsonb)", toJson(copy)));
        }
        assertThat(broken(clinic.id())).as("the chain once the row is restored").isEmpty();
    }

    private Map<String, Object> middleRow() {
        var rows = fx.database().rows("select id, seq, status from public.audit_log where org_id = ? order by seq", clinic.id());
        assertThat(rows).as("rows to tamper with").hasSizeGreaterThanOrEqualTo(3);
        return rows.get(rows.size() / 2);
    }

    private List<Map<String, Object>> broken(UUID org) {
        return fx.database().rows(BROKEN_ROWS, org);
    }

    private static int update(java.sql.Connection connection, String sql, Object param) throws java.sql.SQLException {
        try (var statement = connection.prepareStatement(sql)) {
            statement.setObject(1, param);
            return statement.executeUpdate();
        }
    }

    private static String toJson(Map<String, Object> row) {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        row.forEach((key, value) -> json.put(key, value == null ? null : value instanceof java.sql.Timestamp ts
                ? ts.toInstant().toString() : value.toString()));
        json.set("details", parse(String.valueOf(row.get("details"))));
        return json.toString();
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
