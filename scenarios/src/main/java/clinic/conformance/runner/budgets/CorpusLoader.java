package clinic.conformance.runner.budgets;

import clinic.conformance.fixtures.corpus.ScaleCorpus;
import clinic.conformance.scenarios.benchmarks.BenchmarkTarget;
import java.util.ArrayList;
import java.util.List;

/**
 * Grows the synthetic corpus for the vector-search benchmarks. On the harness's own database the HNSW index is
 * dropped, the rows loaded, and the index rebuilt (minutes faster at 100k); a target's database is only ever added to.
 */
public final class CorpusLoader {
    private static final int ORGS = 50;
    private final BenchmarkTarget bench;
    private final boolean ownDatabase;
    private final List<ScaleCorpus> loaded = new ArrayList<>();
    private int size;

    CorpusLoader(BenchmarkTarget bench, boolean ownDatabase) {
        this.bench = bench;
        this.ownDatabase = ownDatabase;
    }

    void growTo(int chunks) {
        if (chunks <= size) {
            return;
        }
        var database = bench.fixtures().database();
        if (ownDatabase) {
            database.asOwner(c -> c.createStatement().execute("drop index if exists public.knowledge_base_embedding_idx"));
        }
        loaded.add(bench.fixtures().scaleCorpus().insert(chunks - size, ORGS, bench.model()));
        if (ownDatabase) {
            database.asOwner(c -> {
                try (var statement = c.createStatement()) {
                    statement.execute("set maintenance_work_mem = '2GB'");
                    statement.execute("create index knowledge_base_embedding_idx on public.knowledge_base "
                            + "using hnsw (embedding extensions.vector_cosine_ops)");
                    statement.execute("analyze public.knowledge_base");
                }
                return null;
            });
        }
        size = chunks;
    }

    void cleanUp() {
        loaded.forEach(ScaleCorpus::delete);
    }
}
