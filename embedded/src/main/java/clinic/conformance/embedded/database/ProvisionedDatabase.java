package clinic.conformance.embedded.database;

import clinic.conformance.fixtures.database.DatabaseUrl;
import java.sql.SQLException;

/** A fresh database with the migrations applied; closing it drops the database (and stops its container, if any). */
public final class ProvisionedDatabase implements AutoCloseable {
    private final DatabaseUrl admin;
    private final String name;
    private final String source;
    private final AutoCloseable owner;

    ProvisionedDatabase(DatabaseUrl admin, String name, String source, AutoCloseable owner) {
        this.admin = admin;
        this.name = name;
        this.source = source;
        this.owner = owner;
    }

    public DatabaseUrl url() {
        return admin.withDatabase(name);
    }

    public String name() {
        return name;
    }

    /** Where the server came from: CONFORMANCE_DB_URL, a Testcontainers container, or the local PostgreSQL. */
    public String source() {
        return source;
    }

    @Override
    public void close() {
        try (var connection = admin.connect(); var statement = connection.createStatement()) {
            statement.execute("drop database if exists \"" + name + "\" with (force)");
        } catch (SQLException e) {
            System.err.println("could not drop database " + name + ": " + e.getMessage());
        }
        if (owner != null) {
            try {
                owner.close();
            } catch (Exception e) {
                System.err.println("could not stop the database container: " + e.getMessage());
            }
        }
    }
}
