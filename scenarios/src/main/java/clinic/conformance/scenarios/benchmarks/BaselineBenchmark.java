package clinic.conformance.scenarios.benchmarks;

import clinic.conformance.fixtures.seed.Slots;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/** The floors the paths are compared with, measured in the same run: HTTP round trip and the booking's own INSERT. */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BaselineBenchmark {

    @Benchmark
    public int healthOverHttp() {
        return BenchmarkTarget.current().fixtures().api().get("/health", "none").status();
    }

    /** A bare JDBC transaction doing the booking's INSERT on an open connection (no HTTP, token, RLS or outbox). */
    @Benchmark
    public int bareBookingInsert(DatabaseSession session) throws java.sql.SQLException {
        var target = BenchmarkTarget.current();
        var connection = session.connection;
        {
            try (var statement = connection.prepareStatement("insert into public.appointments (org_id, clinic_id, "
                    + "provider_id, patient_name, patient_email, scheduled_at, duration_minutes, google_calendar_event_id) "
                    + "values (?, ?, ?, 'Baseline', 'baseline@example.test', ?, 30, ?)")) {
                statement.setObject(1, target.clinic().id());
                statement.setObject(2, target.clinic().id());
                statement.setObject(3, target.provider().id());
                statement.setObject(4, Slots.fresh());
                statement.setString(5, UUID.randomUUID().toString().replace("-", ""));
                int inserted = statement.executeUpdate();
                connection.commit();
                return inserted;
            }
        }
    }
}
