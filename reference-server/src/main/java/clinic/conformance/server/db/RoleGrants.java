package clinic.conformance.server.db;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The database roles the server switches to ({@code authenticated} for members, {@code service_role} for Vapi's
 * credential and the outbox, {@code supabase_auth_admin} for its auth subset): a database user that is not a member of
 * one has a configuration error, said at start-up and in {@code /health} with the grant that is missing — never
 * answered to a caller as a refusal of their organization.
 */
public final class RoleGrants {
    static final List<String> NEEDED = List.of("authenticated", "service_role", "supabase_auth_admin");

    private RoleGrants() {
    }

    /** The sentence naming the missing grant, if the database user lacks a role the server needs. */
    public static Optional<String> missing(Database database) throws SQLException {
        try (var connection = database.dataSource().getConnection();
             var statement = connection.prepareStatement("select current_user, r.rolname from pg_roles r "
                     + "where r.rolname = any (?) and not pg_has_role(current_user, r.oid, 'MEMBER') order by r.rolname")) {
            statement.setArray(1, connection.createArrayOf("text", NEEDED.toArray()));
            var lacking = new ArrayList<String>();
            String user = null;
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    user = rows.getString(1);
                    lacking.add(rows.getString(2));
                }
            }
            if (lacking.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of("the database user " + user + " cannot take the role" + (lacking.size() > 1 ? "s " : " ")
                    + String.join(", ", lacking) + " the server switches to; grant " + (lacking.size() > 1 ? "them" : "it")
                    + ": GRANT " + String.join(", ", lacking) + " TO " + user);
        }
    }

    /** Stops the start-up with that sentence. */
    public static void require(Database database) {
        try {
            missing(database).ifPresent(sentence -> {
                throw new IllegalStateException(sentence);
            });
        } catch (SQLException e) {
            throw new IllegalStateException("the database could not be read at start-up (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }
}
