package clinic.conformance.scenarios.benchmarks;

import clinic.conformance.fixtures.database.TargetDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * Vector search, top-3 filtered by org, as the clinic's admin under RLS, with the reference server's settings
 * (iterative scan, ef_search 100); and its baseline, the bare pgvector query as the owner (contract §4: 100 ms).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class VectorSearchBenchmark {
    static final String QUERY = "select id from public.knowledge_base where org_id = ? "
            + "order by embedding <=> ?::vector limit 3";

    /** One transaction as the admin would run it under Supabase: claims, role, the search settings, the query. */
    @Benchmark
    public long filteredSearch(DatabaseSession session) throws SQLException {
        var target = BenchmarkTarget.current();
        var admin = target.clinic().admin();
        Connection connection = session.connection;
        try (var claims = connection.prepareStatement("select set_config('request.jwt.claims', ?, true), "
                + "set_config('role', 'authenticated', true), set_config('hnsw.ef_search', '100', true), "
                + "set_config('hnsw.iterative_scan', 'relaxed_order', true)")) {
            claims.setString(1, admin.claimsJson());
            claims.execute();
        }
        long found = TargetDatabase.single(connection, "select count(*) from (" + QUERY + ") found", target.clinic().id(),
                randomVector());
        connection.commit();
        return found;
    }

    @Benchmark
    public long barePgvectorQuery(DatabaseSession session) throws SQLException {
        long found = TargetDatabase.single(session.connection,
                "select count(*) from (select id from public.knowledge_base order by embedding <=> ?::vector limit 3) found",
                randomVector());
        session.connection.commit();
        return found;
    }

    static String randomVector() {
        var random = ThreadLocalRandom.current();
        var text = new StringBuilder("[");
        for (int i = 0; i < 1536; i++) {
            text.append(i == 0 ? "" : ",").append(i < 384 ? random.nextFloat() - 0.5f : 0f);
        }
        return text.append(']').toString();
    }
}
