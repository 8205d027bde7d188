package clinic.conformance.scenarios.platform;

import clinic.conformance.fixtures.database.TargetDatabase;
import clinic.conformance.fixtures.seed.Clinic;
import clinic.conformance.fixtures.seed.TenantRows;
import clinic.conformance.scenarios.platform.ApiSurface.Function;
import clinic.conformance.scenarios.platform.AttackSurfaceTests.Tried;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * P3.3: judges one function an API role may execute. A {@code SECURITY DEFINER} function runs with its owner's
 * rights, past RLS: only the contract's allow-list may be executable by {@code anon} or {@code authenticated}
 * (contract §2 v3). Every callable one is then called as that role — as a member of A, or as anon — twice, its
 * arguments aimed at B (B's org id, then B's admin's user id; a JSON argument names B's admin), inside a transaction
 * that is rolled back; B's rows in every tenant table and the audit log are compared before and after, and the result
 * is searched for B's data.
 */
final class FunctionProbe {
    /** SECURITY DEFINER functions an API role may execute, and why (contract §2 v3): none in the API schemas. */
    static final Set<String> DEFINER_ALLOW_LIST = Set.of();
    private final TargetDatabase database;
    private final Clinic clinicA;
    private final Clinic clinicB;
    private final List<String> markersOfB = new ArrayList<>();
    private final Map<String, String> tenantTables;

    FunctionProbe(TargetDatabase database, Clinic clinicA, Clinic clinicB, TenantRows rowsB) {
        this.database = database;
        this.clinicA = clinicA;
        this.clinicB = clinicB;
        this.tenantTables = database.allTenantTables();
        markersOfB.add(clinicB.name());
        markersOfB.add(clinicB.admin().email());
        rowsB.ids().forEach((table, id) -> {
            if (!table.equals("organizations")) {
                markersOfB.add(id.toString());
            }
        });
    }

    Tried judge(Function function, String role) {
        if (function.definer() && !DEFINER_ALLOW_LIST.contains(function.signature())) {
            return new Tried(function.signature(), role, "EXECUTE", true, "SECURITY DEFINER, executable by " + role
                    + ", not on the contract's allow-list (it runs past RLS with its owner's rights)");
        }
        if (!function.callable()) {
            return new Tried(function.signature(), role, "EXECUTE", false, "not callable directly (" + function.kind()
                    + ", returns " + function.returns() + "): not tried");
        }
        var findings = new ArrayList<String>();
        var outcomes = new ArrayList<String>();
        for (String aim : List.of(clinicB.id().toString(), clinicB.admin().id().toString())) {
            String outcome = database.rolledBack(connection -> call(connection, function, role, aim, findings));
            outcomes.add(outcome);
        }
        return new Tried(function.signature(), role, "EXECUTE", !findings.isEmpty(), findings.isEmpty()
                ? String.join("; ", outcomes) : String.join("; ", findings));
    }

    private String call(Connection connection, Function function, String role, String aim, List<String> findings)
            throws SQLException {
        var before = snapshotOfB(connection);
        String claims = role.equals("anon") ? "{\"role\": \"anon\"}" : clinicA.admin().claimsJson();
        String result;
        var savepoint = connection.setSavepoint();
        try (var statement = connection.prepareStatement("select set_config('request.jwt.claims', ?, true)")) {
            statement.setString(1, claims);
            statement.execute();
            try (var as = connection.createStatement()) {
                as.execute("set local role " + role);
            }
            result = invoke(connection, function, aim);
        } catch (SQLException refused) {
            connection.rollback(savepoint);
            try (var reset = connection.createStatement()) {
                reset.execute("reset role");
            }
            return "aimed at " + describe(aim) + ": refused (" + refused.getSQLState() + ")";
        }
        try (var reset = connection.createStatement()) {
            reset.execute("reset role");
        }
        var after = snapshotOfB(connection);
        after.forEach((table, digest) -> {
            if (!digest.equals(before.get(table))) {
                findings.add("aimed at " + describe(aim) + ": changed " + table + (table.equals("audit_log (all orgs)")
                        ? " (a member wrote audit rows)" : " rows of B"));
            }
        });
        for (String marker : markersOfB) {
            if (result != null && result.contains(marker)) {
                findings.add("aimed at " + describe(aim) + ": returned B's data (" + marker + ")");
            }
        }
        if (result != null && !aim.equals(clinicB.id().toString()) && result.contains(clinicB.id().toString())) {
            findings.add("aimed at " + describe(aim) + ": returned B's org id for B's user (another user's claims)");
        }
        return "aimed at " + describe(aim) + ": answered, nothing of B";
    }

    private String describe(String aim) {
        return aim.equals(clinicB.id().toString()) ? "B's org id" : "B's admin";
    }

    /** {@code select string_agg(...) from f(args) x}: one text for scalar and set-returning functions alike. */
    private String invoke(Connection connection, Function function, String aim) throws SQLException {
        var arguments = new ArrayList<String>();
        for (String type : function.argumentTypes()) {
            arguments.add(argument(type, aim));
        }
        String sql = "select string_agg(x::text, ' | ') from " + function.call() + "(" + String.join(", ", arguments) + ") x";
        try (var statement = connection.createStatement(); var rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private String argument(String type, String aim) {
        String jsonOfB = "{\"user_id\": \"" + clinicB.admin().id() + "\", \"sub\": \"" + clinicB.admin().id()
                + "\", \"claims\": {\"sub\": \"" + clinicB.admin().id() + "\", \"role\": \"authenticated\"}}";
        return switch (type) {
            case "uuid" -> "'" + aim + "'::uuid";
            case "text", "character varying", "name" -> "'" + aim + "'::" + type;
            case "uuid[]" -> "array['" + aim + "']::uuid[]";
            case "text[]" -> "array['" + aim + "']::text[]";
            case "jsonb", "json" -> "'" + jsonOfB + "'::" + type;
            case "integer", "bigint", "smallint", "numeric", "real", "double precision" -> "1::" + type;
            case "boolean" -> "true";
            case "timestamp with time zone", "timestamp without time zone", "date" -> "now()::" + type;
            default -> "null::" + type;
        };
    }

    /** A digest of B's rows in every tenant table, and the size of the whole audit log, as the privileged user. */
    private Map<String, String> snapshotOfB(Connection connection) throws SQLException {
        var digests = new LinkedHashMap<String, String>();
        for (var table : tenantTables.entrySet()) {
            digests.put(table.getKey(), TargetDatabase.rows(connection, "select md5(coalesce(string_agg(to_jsonb(t)::text, "
                    + "',' order by to_jsonb(t)::text), '')) as digest from public." + table.getKey() + " t where "
                    + table.getValue() + " = ?", clinicB.id()).get(0).get("digest").toString());
        }
        digests.put("audit_log (all orgs)", TargetDatabase.rows(connection, "select count(*)::text as n from public.audit_log")
                .get(0).get("n").toString());
        return digests;
    }
}
