package clinic.conformance.embedded.runner;

import clinic.conformance.fixtures.database.DatabaseUrl;
import clinic.conformance.runner.doctor.Requirement;
import clinic.conformance.runner.doctor.Requirements;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A database role that may touch only what {@link Requirements} declares: SELECT, INSERT and UPDATE on the declared
 * columns, DELETE on the declared tables (cleanup), EXECUTE on the declared functions, membership in the API roles
 * (checks act as them) and BYPASSRLS (checks collect evidence across orgs). Certifying through it proves that no check
 * reads a table, column or function the requirements — and so {@code doctor} and docs/requirements-for-targets.md —
 * do not name: such a read fails with 42501 and the check breaks.
 */
final class DeclaredOnlyRole implements AutoCloseable {
    private final DatabaseUrl owner;
    private final String name = "declared_only_" + UUID.randomUUID().toString().substring(0, 8);

    private DeclaredOnlyRole(DatabaseUrl owner) {
        this.owner = owner;
    }

    /** Creates the role in {@code owner}'s cluster, with grants in its database; {@code owner} must be a superuser. */
    static DeclaredOnlyRole create(DatabaseUrl owner) throws SQLException {
        var role = new DeclaredOnlyRole(owner);
        role.execute(role.grants());
        return role;
    }

    /** The database URL as this role (trust authentication on the local server: no password). */
    DatabaseUrl url() {
        String withoutCredentials = owner.jdbcUrl().replaceAll("(?i)([?&])(user|password)=[^&]*&?", "$1")
                .replaceAll("[?&]$", "");
        return new DatabaseUrl(withoutCredentials, name, null);
    }

    List<String> grants() {
        var statements = new java.util.ArrayList<String>();
        statements.add("create role " + name + " login bypassrls");
        statements.add("grant usage on schema public, auth, extensions to " + name);
        statements.add("grant anon, authenticated, service_role to " + name);
        Map<String, List<String>> columns = new LinkedHashMap<>();
        for (Requirement requirement : Requirements.ALL) {
            switch (requirement.kind()) {
                case TABLE -> statements.add("grant delete on " + requirement.name() + " to " + name);
                case COLUMN -> {
                    int last = requirement.name().lastIndexOf('.');
                    columns.computeIfAbsent(requirement.name().substring(0, last), t -> new java.util.ArrayList<>())
                            .add(requirement.name().substring(last + 1));
                }
                case FUNCTION -> statements.add("grant execute on function " + requirement.name() + " to " + name);
                case ENDPOINT -> { }
            }
        }
        columns.forEach((table, names) -> {
            String list = names.stream().collect(Collectors.joining(", "));
            statements.add("grant select (" + list + "), insert (" + list + "), update (" + list + ") on " + table
                    + " to " + name);
        });
        return statements;
    }

    private void execute(List<String> statements) throws SQLException {
        try (var connection = owner.connect(); var statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        execute(List.of("drop owned by " + name, "drop role " + name));
    }
}
