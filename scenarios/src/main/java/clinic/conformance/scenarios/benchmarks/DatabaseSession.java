package clinic.conformance.scenarios.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** One open connection per benchmark thread, as a server's pool would hold it: no connection setup in the figures. */
@State(Scope.Thread)
public class DatabaseSession {
    Connection connection;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        connection = BenchmarkTarget.current().fixtures().database().url().connect();
        connection.setAutoCommit(false);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        connection.close();
    }
}
