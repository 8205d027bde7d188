package clinic.conformance.scenarios.security;

import clinic.conformance.fixtures.database.TargetDatabase;
import clinic.conformance.fixtures.seed.Member;
import java.util.List;
import java.util.UUID;

/**
 * User A's attempts on org B's rows, at the database, with A's claims (as Supabase's API runs A's requests).
 * Statements are built per tenant table from the target's own catalog, so a new table is attacked without new code.
 */
final class TenantAttack {
    private final TargetDatabase database;
    private final Member attacker;
    private final UUID victimOrg;

    TenantAttack(TargetDatabase database, Member attacker, UUID victimOrg) {
        this.database = database;
        this.attacker = attacker;
        this.victimOrg = victimOrg;
    }

    /** What one statement did: rows it touched, or the SQLSTATE it failed with. */
    record Outcome(long rows, String sqlState) {
        boolean refused() {
            return sqlState != null;
        }

        @Override
        public String toString() {
            return refused() ? "SQLSTATE " + sqlState : rows + " rows";
        }
    }

    /** Every row of org B in {@code table}, as the owner sees them, as JSON text in a stable order. */
    List<String> snapshot(String table, String orgColumn) {
        return database.snapshot(table, orgColumn, victimOrg);
    }

    Outcome select(String table, String orgColumn) {
        return run(String.format("select count(*) from public.%s where %s = ?", table, orgColumn), true, victimOrg);
    }

    /** Inserts a copy of one of B's rows (new primary key, B's org kept) as A. */
    Outcome insertCopyOf(String table, String orgColumn, String rowJson) {
        String columns = String.join(", ", insertableColumns(table));
        String sql = String.format("insert into public.%1$s (%2$s) select %2$s from jsonb_populate_record(null::public.%1$s, "
                + "jsonb_set(?::jsonb, '{id}', to_jsonb(gen_random_uuid())))", table, columns);
        if ("id".equals(orgColumn)) {
            sql = String.format("insert into public.%1$s (%2$s) select %2$s from jsonb_populate_record(null::public.%1$s, ?::jsonb)",
                    table, columns);
        }
        return run(sql, false, rowJson);
    }

    Outcome update(String table, String orgColumn) {
        return run(String.format("update public.%1$s set %2$s = %2$s where %2$s = ?", table, orgColumn), false, victimOrg);
    }

    /** Tries to move B's rows into A's org. */
    Outcome steal(String table, String orgColumn) {
        return run(String.format("update public.%1$s set %2$s = ? where %2$s = ?", table, orgColumn), false,
                attacker.orgId(), victimOrg);
    }

    Outcome delete(String table, String orgColumn) {
        return run(String.format("delete from public.%s where %s = ?", table, orgColumn), false, victimOrg);
    }

    private List<String> insertableColumns(String table) {
        return database.rows("select column_name from information_schema.columns where table_schema = 'public' "
                + "and table_name = ? and is_generated = 'NEVER' and coalesce(identity_generation, '') <> 'ALWAYS' "
                + "order by ordinal_position", table).stream().map(row -> "\"" + row.get("column_name") + "\"").toList();
    }

    private Outcome run(String sql, boolean query, Object... params) {
        try {
            return database.asMember(attacker, connection -> {
                try (var statement = connection.prepareStatement(sql)) {
                    for (int i = 0; i < params.length; i++) {
                        statement.setObject(i + 1, params[i]);
                    }
                    if (query) {
                        try (var rows = statement.executeQuery()) {
                            rows.next();
                            return new Outcome(rows.getLong(1), null);
                        }
                    }
                    return new Outcome(statement.executeUpdate(), null);
                }
            });
        } catch (TargetDatabase.DatabaseFailure e) {
            return new Outcome(0, e.sqlState());
        }
    }
}
