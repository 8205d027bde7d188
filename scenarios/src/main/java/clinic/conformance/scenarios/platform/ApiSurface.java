package clinic.conformance.scenarios.platform;

import clinic.conformance.fixtures.database.TargetDatabase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the target's own catalog exposes to the API roles (P3): the schemas PostgREST publishes, every relation and
 * every function in them, and who may do what. Read with the privileged {@code --db-url}; nothing is hand-picked.
 */
final class ApiSurface {
    static final List<String> API_ROLES = List.of("anon", "authenticated");
    static final List<String> COMMANDS = List.of("SELECT", "INSERT", "UPDATE", "DELETE");

    /** A table, view or materialized view, and the column that names its org (none: not tenant data). */
    record Relation(String schema, String name, String kind, Optional<String> orgColumn) {
        String qualified() {
            return quote(schema) + "." + quote(name);
        }

        @Override
        public String toString() {
            return schema + "." + name;
        }
    }

    /** A function an API role may execute, with what a reviewer needs to judge it. */
    record Function(String signature, String call, boolean definer, String kind, List<String> argumentTypes,
                    String returns, List<String> executableBy) {
        boolean callable() {
            return kind.equals("f") && !returns.equals("trigger") && !returns.equals("event_trigger");
        }
    }

    private final TargetDatabase database;

    ApiSurface(TargetDatabase database) {
        this.database = database;
    }

    /**
     * The schemas the Data API publishes: PostgREST's {@code pgrst.db_schemas}, set on the {@code authenticator} role
     * or the database (as Supabase sets it), else {@code public}; only those that exist.
     */
    List<String> schemas() {
        var named = new LinkedHashSet<String>();
        List<Map<String, Object>> settings;
        try {
            settings = database.rows("""
                select unnest(s.setconfig) as setting from pg_db_role_setting s
                left join pg_roles r on r.oid = s.setrole
                where (r.rolname = 'authenticator' or s.setrole = 0)
                  and (s.setdatabase = 0 or s.setdatabase = (select oid from pg_database where datname = current_database()))""");
        } catch (TargetDatabase.DatabaseFailure unreadable) {
            settings = List.of();
        }
        for (var row : settings) {
            String setting = String.valueOf(row.get("setting"));
            if (setting.startsWith("pgrst.db_schemas=")) {
                Arrays.stream(setting.substring("pgrst.db_schemas=".length()).split(",")).map(String::trim)
                        .filter(s -> !s.isEmpty()).forEach(named::add);
            }
        }
        if (named.isEmpty()) {
            named.add("public");
        }
        return named.stream().filter(schema -> database.count("select count(*) from pg_namespace where nspname = ?",
                schema) == 1).toList();
    }

    List<Relation> relations(List<String> schemas) {
        var relations = new ArrayList<Relation>();
        for (var row : database.rows("""
                select n.nspname as schema, c.relname as name, c.relkind::text as kind,
                       (select a.attname::text from pg_attribute a where a.attrelid = c.oid and a.attname = 'org_id'
                          and not a.attisdropped) as org_column
                from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = any(?::text[]) and c.relkind in ('r', 'p', 'v', 'm', 'f')
                order by 1, 2""", (Object) schemas.toArray(String[]::new))) {
            String schema = (String) row.get("schema");
            String name = (String) row.get("name");
            Optional<String> org = Optional.ofNullable((String) row.get("org_column"))
                    .or(() -> schema.equals("public") && name.equals("organizations") ? Optional.of("id") : Optional.empty());
            relations.add(new Relation(schema, name, (String) row.get("kind"), org));
        }
        return relations;
    }

    List<Function> functions(List<String> schemas) {
        var functions = new ArrayList<Function>();
        for (var row : database.rows("""
                select p.oid::regprocedure::text as signature,
                       quote_ident(n.nspname) || '.' || quote_ident(p.proname) as call,
                       p.prosecdef as definer, p.prokind::text as kind,
                       coalesce((select string_agg(format_type(t, null), '|' order by i)
                                 from unnest(p.proargtypes) with ordinality as a(t, i)), '') as arguments,
                       format_type(p.prorettype, null) as returns,
                       array_to_string(array(select r from unnest(array['anon', 'authenticated']) r
                                             where has_function_privilege(r, p.oid, 'execute')), '|') as executable_by
                from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                where n.nspname = any(?::text[])
                  and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
                  and (has_function_privilege('anon', p.oid, 'execute')
                       or has_function_privilege('authenticated', p.oid, 'execute'))
                order by 1""", (Object) schemas.toArray(String[]::new))) {
            String arguments = (String) row.get("arguments");
            functions.add(new Function((String) row.get("signature"), (String) row.get("call"),
                    Boolean.TRUE.equals(row.get("definer")), (String) row.get("kind"),
                    arguments.isEmpty() ? List.of() : List.of(arguments.split("\\|")), (String) row.get("returns"),
                    List.of(((String) row.get("executable_by")).split("\\|"))));
        }
        return functions;
    }

    boolean granted(String role, Relation relation, String command) {
        return database.count("select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                + "where n.nspname = ? and c.relname = ? and has_table_privilege(?, c.oid, ?)",
                relation.schema(), relation.name(), role, command) > 0;
    }

    /** The policies that apply to {@code role}'s {@code command} on {@code relation}, as a reviewer reads them. */
    String policies(Relation relation, String role, String command) {
        var lines = new ArrayList<String>();
        for (Map<String, Object> policy : database.rows("""
                select policyname, permissive, coalesce(qual, '-') as qual, coalesce(with_check, '-') as with_check
                from pg_policies where schemaname = ? and tablename = ? and cmd in (?, 'ALL')
                  and roles && array['public', ?]::name[]""", relation.schema(), relation.name(), command, role)) {
            lines.add("\"" + policy.get("policyname") + "\" (" + policy.get("permissive") + ", using " + policy.get("qual")
                    + ", with check " + policy.get("with_check") + ")");
        }
        return lines.isEmpty() ? "no policy for " + role + " (" + command + ")" : String.join("; ", lines);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
