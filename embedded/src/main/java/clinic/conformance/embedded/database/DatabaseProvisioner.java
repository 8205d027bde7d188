package clinic.conformance.embedded.database;

import clinic.conformance.fixtures.database.DatabaseUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Provisions the embedded default's database (contract §5): on the server {@code --db-url} names, if set; else a
 * Testcontainers pgvector container if a Docker engine answers; else PostgreSQL on 127.0.0.1:5432. Each run gets a
 * fresh database.
 */
public final class DatabaseProvisioner {
    public static final String CONFORMANCE_DB_URL = "CONFORMANCE_DB_URL";
    public static final String LOCAL_POSTGRES = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private final Optional<String> server;
    private final boolean dockerHost;

    /**
     * @param server     the PostgreSQL server to create the database on ({@code --db-url}); empty: the defaults
     * @param dockerHost whether {@code DOCKER_HOST} names a Docker engine
     */
    public DatabaseProvisioner(Optional<String> server, boolean dockerHost) {
        this.server = server.filter(url -> !url.isBlank());
        this.dockerHost = dockerHost;
    }

    public ProvisionedDatabase provision() throws SQLException {
        if (server.isPresent()) {
            return fresh(DatabaseUrl.parse(server.get()), "--db-url", null);
        }
        if (dockerMayAnswer()) {
            var container = PgVectorContainer.tryStart();
            if (container.isPresent()) {
                return fresh(container.get().adminUrl(), "Testcontainers " + PgVectorContainer.IMAGE, container.get());
            }
        }
        return fresh(DatabaseUrl.parse(LOCAL_POSTGRES), "PostgreSQL on 127.0.0.1:5432", null);
    }

    /** Asking Testcontainers costs seconds when there is no engine; look for a socket or DOCKER_HOST first. */
    private boolean dockerMayAnswer() {
        return dockerHost || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
    }

    private static ProvisionedDatabase fresh(DatabaseUrl admin, String source, AutoCloseable owner) throws SQLException {
        String name = "conformance_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
        try (var connection = admin.connect(); var statement = connection.createStatement()) {
            statement.execute("create database \"" + name + "\"");
        } catch (SQLException e) {
            throw new SQLException("cannot create a database on " + admin.redacted() + " (" + source + "): "
                    + e.getMessage().lines().findFirst().orElse("") + ". Set --db-url (" + CONFORMANCE_DB_URL
                    + ") to a PostgreSQL server where this user may create databases.", e.getSQLState(), e);
        }
        var database = new ProvisionedDatabase(admin, name, source, owner);
        try (var connection = database.url().connect()) {
            Migrations.apply(connection);
        } catch (SQLException | RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }
}
