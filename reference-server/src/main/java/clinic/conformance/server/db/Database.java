package clinic.conformance.server.db;

import clinic.conformance.server.auth.Claims;
import clinic.conformance.server.http.ApiError;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;

/**
 * Transactions on the server's pool, either as the signed-in user (Supabase's way: {@code SET LOCAL ROLE
 * authenticated} and {@code request.jwt.claims}, so RLS is a second wall) or as the service itself.
 */
public final class Database implements AutoCloseable {
    /** The {@code application_name} of the server's connections. */
    public static final String APPLICATION_NAME = "reference-server";
    private static final int MAX_ATTEMPTS = 5;
    private final DataSource dataSource;

    public Database(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static Database connect(String url, String user, String password, int poolSize) {
        var config = new HikariConfig();
        config.setJdbcUrl(JdbcUrls.toJdbc(url));
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        config.setPoolName(APPLICATION_NAME);
        // pg_stat_activity shows whose connections these are
        config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
        config.setInitializationFailTimeout(-1);
        return new Database(new HikariDataSource(config));
    }

    /** A unit of work on one connection inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} as the token's user: RLS sees exactly what Supabase's API would let that user see. */
    public <T> T asUser(Claims claims, Work<T> work) throws SQLException {
        return inTransaction(connection -> {
            try (var statement = connection.prepareStatement(
                    "select set_config('request.jwt.claims', ?, true), set_config('role', 'authenticated', true)")) {
                statement.setString(1, claims.json());
                statement.execute();
            }
            return work.run(connection);
        });
    }

    /** Runs {@code work} as Supabase's {@code service_role} (background jobs that serve every org, health checks). */
    public <T> T asService(Work<T> work) throws SQLException {
        return inTransaction(connection -> {
            try (var statement = connection.prepareStatement("select set_config('role', 'service_role', true)")) {
                statement.execute();
            }
            return work.run(connection);
        });
    }

    /**
     * Runs {@code work} as {@code supabase_auth_admin}, the role GoTrue runs as: the server's Supabase Auth subset
     * writes {@code auth.*} and calls the access-token hook the way GoTrue does, never as {@code service_role}.
     */
    public <T> T asAuthAdmin(Work<T> work) throws SQLException {
        return inTransaction(connection -> {
            try (var statement = connection.prepareStatement("select set_config('role', 'supabase_auth_admin', true)")) {
                statement.execute();
            }
            return work.run(connection);
        });
    }

    /**
     * Runs {@code work} as {@code service_role} on behalf of a verified member: the server's privileged path, with the
     * member's claims in {@code request.jwt.claims} so definer functions can name the actor (the audit log).
     */
    public <T> T asServiceFor(Claims claims, Work<T> work) throws SQLException {
        return inTransaction(connection -> {
            try (var statement = connection.prepareStatement(
                    "select set_config('request.jwt.claims', ?, true), set_config('role', 'service_role', true)")) {
                statement.setString(1, claims.json());
                statement.execute();
            }
            return work.run(connection);
        });
    }

    /** Sets the parameters of the statement a {@link #asUserInOneRoundTrip} batch runs after the claims. */
    @FunctionalInterface
    public interface Parameters {
        /** Binds the statement's parameters, the first of them at {@code first}. */
        void bind(java.sql.PreparedStatement statement, int first) throws SQLException;
    }

    /** Reads the result of a {@link #asUserInOneRoundTrip} batch's statement. */
    @FunctionalInterface
    public interface Rows<T> {
        T read(java.sql.ResultSet rows) throws SQLException;
    }

    /**
     * Runs one statement as the token's user in one round trip: the claims and the role, then {@code sql}, sent as one
     * batch that PostgreSQL runs as one implicit transaction (no {@code BEGIN}, no separate {@code COMMIT}). RLS sees
     * exactly what {@link #asUser} would let it see; a failure of {@code sql} undoes the claims too.
     */
    public <T> T asUserInOneRoundTrip(Claims claims, String sql, Parameters parameters, Rows<T> read)
            throws SQLException {
        return retrying(() -> {
            try (Connection connection = open()) {
                connection.setAutoCommit(true);
                try (var statement = connection.prepareStatement("select set_config('request.jwt.claims', ?, true), "
                        + "set_config('role', 'authenticated', true); " + sql)) {
                    statement.setString(1, claims.json());
                    parameters.bind(statement, 2);
                    statement.execute();
                    if (!statement.getMoreResults()) {
                        throw new SQLException("the batch's statement returned no rows", "XX000");
                    }
                    try (var rows = statement.getResultSet()) {
                        return read.read(rows);
                    }
                }
            }
        });
    }

    private <T> T inTransaction(Work<T> work) throws SQLException {
        return retrying(() -> once(work));
    }

    /** One try at the database: a transaction, or a batch. */
    @FunctionalInterface
    private interface Attempt<T> {
        T run() throws SQLException;
    }

    /** Deadlocks and serialization failures are the database asking for a retry; a few are normal under a race. */
    private static <T> T retrying(Attempt<T> attempt) throws SQLException {
        for (int tries = 1; ; tries++) {
            try {
                return attempt.run();
            } catch (SQLException e) {
                boolean retryable = "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
                if (!retryable || tries == MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private <T> T once(Work<T> work) throws SQLException {
        try (Connection connection = open()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    private Connection open() throws SQLException {
        try {
            return dataSource.getConnection();
        } catch (SQLTransientConnectionException e) {
            throw ApiError.unavailable();
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        if (dataSource instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing a pool on shutdown: nothing left to do with a failure
            }
        }
    }
}
