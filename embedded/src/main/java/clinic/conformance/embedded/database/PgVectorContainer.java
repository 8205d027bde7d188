package clinic.conformance.embedded.database;

import clinic.conformance.fixtures.database.DatabaseUrl;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** The Testcontainers branch: a pgvector PostgreSQL container, used only when a Docker engine answers. */
final class PgVectorContainer implements AutoCloseable {
    static final String IMAGE = "pgvector/pgvector:pg15";
    private final PostgreSQLContainer container;

    private PgVectorContainer(PostgreSQLContainer container) {
        this.container = container;
    }

    static Optional<PgVectorContainer> tryStart() {
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return Optional.empty();
            }
            var container = new PostgreSQLContainer(
                    DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("postgres"));
            container.start();
            return Optional.of(new PgVectorContainer(container));
        } catch (RuntimeException e) {
            System.err.println("Testcontainers could not start " + IMAGE + " (" + e.getMessage()
                    + "); falling back to PostgreSQL on 127.0.0.1:5432");
            return Optional.empty();
        }
    }

    DatabaseUrl adminUrl() {
        return new DatabaseUrl(container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }

    @Override
    public void close() {
        container.stop();
    }
}
