package clinic.conformance.scenarios.platform;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.fixtures.ConformanceTest;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.fixtures.seed.Clinic;
import clinic.conformance.fixtures.seed.Member;
import clinic.conformance.fixtures.seed.TenantRows;
import clinic.conformance.scenarios.platform.ApiSurface.Relation;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureId;
import io.qameta.allure.Feature;
import io.qameta.allure.model.Status;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * P3: the whole database attack surface, generated from the target's own catalog (contract §2 v3). Every relation in
 * the schemas the Data API publishes is tried with every command the catalog grants to {@code anon} and to a member
 * of clinic A against clinic B's rows; every function an API role may execute is classified and called with arguments
 * aimed at B; and the token boundary is probed just past the contract's leeway. Each object tried is one report entry
 * with its verdict, and the whole table is attached, so a reviewer sees the coverage.
 */
@ConformanceTest
@DisplayName("P3 The whole attack surface")
@Tag("extended")
@Tag("P3")
@Feature("P3 The whole attack surface")
class AttackSurfaceTests {
    private final Fixtures fx;
    private ApiSurface surface;
    private List<String> schemas;
    private Clinic clinicA;
    private Clinic clinicB;
    private TenantRows rowsA;
    private TenantRows rowsB;

    AttackSurfaceTests(Fixtures fixtures) {
        this.fx = fixtures;
    }

    @BeforeAll
    void seed() {
        surface = new ApiSurface(fx.database());
        schemas = surface.schemas();
        clinicA = fx.seed().clinic("Surface A").insert();
        clinicB = fx.seed().clinic("Surface B").insert();
        rowsA = fx.seed().rowsIn(clinicA);
        rowsB = fx.seed().rowsIn(clinicB);
    }

    @AfterAll
    void cleanUp() {
        fx.seed().cleanUp(clinicA, clinicB);
    }

    /** One object tried: what, as whom, and the verdict. */
    record Tried(String object, String role, String command, boolean failed, String verdict) {
    }

    @Test
    @AllureId("P3.1")
    void anonReachesNoTenantRow() {
        var tried = new ArrayList<Tried>();
        for (Relation relation : surface.relations(schemas)) {
            if (relation.orgColumn().isEmpty()) {
                tried.add(new Tried(relation.toString(), "anon", "-", false, "no org column: not tenant data, not tried"));
                continue;
            }
            for (String command : ApiSurface.COMMANDS) {
                tried.add(probe(relation, "anon", "{\"role\": \"anon\"}", command));
            }
        }
        report("P3.1 relations as anon", tried);
    }

    @Test
    @AllureId("P3.2")
    void aMemberReachesNoOtherOrgsRow() {
        var tried = new ArrayList<Tried>();
        String claimsA = clinicA.admin().claimsJson();
        for (Relation relation : surface.relations(schemas)) {
            if (relation.orgColumn().isEmpty()) {
                tried.add(new Tried(relation.toString(), "authenticated", "-", false, "no org column: not tenant data, not tried"));
                continue;
            }
            for (String command : ApiSurface.COMMANDS) {
                tried.add(probe(relation, "authenticated", claimsA, command));
            }
            tried.add(probe(relation, "authenticated", claimsA, "UPDATE into B"));
        }
        report("P3.2 relations as a member of A against B", tried);
    }

    @Test
    @AllureId("P3.3")
    void noFunctionReachesAnotherOrg() {
        var calls = new FunctionProbe(fx.database(), clinicA, clinicB, rowsB);
        var tried = new ArrayList<Tried>();
        for (var function : surface.functions(schemas)) {
            for (String role : function.executableBy()) {
                tried.add(calls.judge(function, role));
            }
        }
        report("P3.3 functions", tried);
    }

    @Test
    @AllureId("P3.4")
    void theTokenBoundaryHoldsJustPastTheLeeway() {
        Member provider = fx.seed().provider(clinicA).insert();
        var tried = new ArrayList<Tried>();
        var member = fx.tokens().forUser(clinicA.admin());
        tried.add(boundary("a member's token, exp 5 min ahead (control)", member.expiringIn(Duration.ofMinutes(5)).sign(),
                provider, false));
        tried.add(boundary("a member's token, exp 40 s ago", fx.tokens().forUser(clinicA.admin())
                .expiredFor(Duration.ofSeconds(40)).sign(), provider, true));
        tried.add(boundary("a member's token, nbf 40 s ahead", fx.tokens().forUser(clinicA.admin())
                .withClaim("nbf", Instant.now().plusSeconds(40).getEpochSecond()).sign(), provider, true));
        var credential = fx.api().postJson("/api/vapi/credentials", Map.of("name", "P3 boundary"), fx.tokens().of(clinicA.admin()));
        assertThat(credential.status()).as("a Vapi credential for the boundary: %s", credential).isBetween(200, 201);
        String credentialId = credential.json().getString("id");
        String clientId = credential.json().getString("client_id");
        tried.add(boundary("a Vapi credential's token, exp 5 min ahead (control)", vapiToken(credentialId, clientId)
                .expiringIn(Duration.ofMinutes(5)).sign(), provider, false));
        tried.add(boundary("a Vapi credential's token, exp 40 s ago", vapiToken(credentialId, clientId)
                .expiredFor(Duration.ofSeconds(40)).sign(), provider, true));
        report("P3.4 token boundary", tried);
    }

    private clinic.conformance.fixtures.jwt.TokenBuilder vapiToken(String credentialId, String clientId) {
        return fx.tokens().forUser(clinicA.admin()).withClaim("sub", credentialId).withClaim("client_id", clientId);
    }

    private Tried boundary(String what, String token, Member provider, boolean mustBeRefused) {
        var response = fx.api().book(provider).send(token);
        boolean refused = response.httpStatus() == 401 || response.status() == 401;
        boolean failed = mustBeRefused != refused;
        return new Tried(what, "bearer", "book", failed, (refused ? "refused 401" : "accepted " + response.status())
                + (failed ? (mustBeRefused ? ": accepted past the leeway" : ": a valid token refused") : ""));
    }

    /** One command on one relation as {@code role} with {@code claims}, in a transaction that is rolled back. */
    private Tried probe(Relation relation, String role, String claims, String command) {
        String sqlCommand = command.startsWith("UPDATE") ? "UPDATE" : command;
        if (!surface.granted(role, relation, sqlCommand)) {
            return new Tried(relation.toString(), role, command, false, "not granted");
        }
        String column = ApiSurface.quote(relation.orgColumn().orElseThrow());
        String own = role.equals("anon") ? "00000000-0000-0000-0000-000000000000" : clinicA.id().toString();
        // UPDATE and DELETE carry no WHERE: one that reads a column holds the rows to the SELECT policy too and would
        // hide a permissive UPDATE or DELETE policy; a Data API call whose filter reads no column does not
        String sql = switch (command) {
            case "SELECT" -> "select count(*) from " + relation.qualified() + " where " + column + " is distinct from '" + own + "'";
            case "INSERT" -> "insert into " + relation.qualified() + " (" + column + ") values ('" + clinicB.id() + "')";
            case "UPDATE" -> "update " + relation.qualified() + " set " + column + " = " + column;
            case "DELETE" -> "delete from " + relation.qualified();
            default -> "update " + relation.qualified() + " set " + column + " = '" + clinicB.id() + "'";
        };
        String outcome = fx.database().rolledBack(connection -> run(connection, role, claims, relation, sql, command, own));
        boolean failed = !(outcome.startsWith("0 rows") || outcome.equals("42501"));
        String verdict = outcome.equals("42501") ? "refused (42501)" : outcome;
        if (failed) {
            verdict += command.equals("INSERT") && !outcome.contains("rows")
                    ? ": the policy let B's row in (a constraint stopped it after RLS) — " + surface.policies(relation, role, sqlCommand)
                    : ": " + surface.policies(relation, role, sqlCommand);
        }
        return new Tried(relation.toString(), role, command, failed, verdict);
    }

    /**
     * Runs {@code sql} as {@code role}: a SELECT counts rows of other orgs; an INSERT writes one of B's; an UPDATE or
     * DELETE over the whole relation counts the rows it reached beyond the role's own visible ones.
     */
    private static String run(Connection connection, String role, String claims, Relation relation, String sql,
                              String command, String own) throws SQLException {
        try (var statement = connection.prepareStatement("select set_config('request.jwt.claims', ?, true)")) {
            statement.setString(1, claims);
            statement.execute();
        }
        try (var statement = connection.createStatement()) {
            statement.execute("set local role " + role);
            if (command.equals("SELECT")) {
                try (var rows = statement.executeQuery(sql)) {
                    rows.next();
                    return rows.getLong(1) + " rows of other orgs seen";
                }
            }
            if (command.equals("INSERT")) {
                return statement.executeUpdate(sql) + " rows of B's inserted";
            }
            long ownRows = visible(connection, relation);
            var savepoint = connection.setSavepoint();
            try {
                long reached = statement.executeUpdate(sql);
                if (command.equals("UPDATE into B")) {
                    return reached + " rows moved into B";
                }
                return Math.max(0, reached - ownRows) + " rows of other orgs reached (" + reached + " in all, " + ownRows
                        + " own)";
            } catch (SQLException stopped) {
                if ("42501".equals(stopped.getSQLState()) || command.equals("UPDATE into B")) {
                    throw stopped;
                }
                // the whole-relation form hit the role's own rows' constraints (a foreign key): judge the filtered form
                connection.rollback(savepoint);
                long reached = statement.executeUpdate(sql + " where " + ApiSurface.quote(relation.orgColumn().orElseThrow())
                        + " is distinct from '" + own + "'");
                return reached + " rows of other orgs reached (filtered: the whole-relation form stopped at "
                        + stopped.getSQLState() + ")";
            }
        } catch (SQLException refused) {
            return refused.getSQLState();
        }
    }

    private static long visible(Connection connection, Relation relation) throws SQLException {
        var savepoint = connection.setSavepoint();
        try (var statement = connection.createStatement();
             var rows = statement.executeQuery("select count(*) from " + relation.qualified())) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException notReadable) {
            connection.rollback(savepoint);
            return 0;
        }
    }

    /** One Allure step per object tried, the whole table attached, and one failure naming every finding. */
    private static void report(String title, List<Tried> tried) {
        var table = new StringBuilder("<table><tr><th>object</th><th>role</th><th>command</th><th>verdict</th></tr>");
        for (Tried t : tried) {
            Allure.step(t.object() + " — " + t.role() + " " + t.command() + ": " + t.verdict(), t.failed() ? Status.FAILED : Status.PASSED);
            table.append("<tr").append(t.failed() ? " style=\"color:#b00\"" : "").append("><td>").append(escape(t.object()))
                    .append("</td><td>").append(t.role()).append("</td><td>").append(t.command()).append("</td><td>")
                    .append(escape(t.verdict())).append("</td></tr>");
        }
        Allure.addAttachment(title + " (" + tried.size() + " tried)", "text/html", table.append("</table>").toString(), ".html");
        assertThat(tried).as("objects tried").isNotEmpty();
        assertThat(tried.stream().filter(Tried::failed).map(t -> t.object() + " — " + t.role() + " " + t.command() + ": "
                + t.verdict()).toList()).as("%s: findings", title).isEmpty();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
