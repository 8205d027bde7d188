package clinic.conformance.embedded.server;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.embedded.database.DatabaseProvisioner;
import clinic.conformance.embedded.database.ProvisionedDatabase;
import clinic.conformance.server.auth.Claims;
import clinic.conformance.server.db.Database;
import clinic.conformance.server.rag.Embeddings;
import clinic.conformance.server.rag.KnowledgeStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The reference server's filtered HNSW search against an exact scan, at the scale: 100k chunks across 50 orgs
 * (plus one org with exactly 3). Building the index takes minutes on 2 cores; that is why this is one test class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Reference server: vector search recall and the at-least-k guarantee at 100k chunks")
class VectorRecallIT {
    private static final int CHUNKS = 100_000;
    private static final int ORGS = 50;
    private static final String MODEL = "synthetic";
    private final Random random = new Random(20261124);
    private final List<UUID> orgs = new ArrayList<>();
    private final KnowledgeStore store = new KnowledgeStore();
    private ProvisionedDatabase provisioned;
    private Database database;
    private UUID smallOrg;

    @BeforeAll
    void loadTheCorpus() throws SQLException {
        provisioned = new DatabaseProvisioner(Optional.empty(), false).provision();
        try (Connection connection = provisioned.url().connect(); var statement = connection.createStatement()) {
            statement.execute("drop index public.knowledge_base_embedding_idx");
            try (var rows = statement.executeQuery("insert into public.organizations (name) select 'org ' || g "
                    + "from generate_series(1, " + (ORGS + 1) + ") g returning id")) {
                while (rows.next()) {
                    orgs.add(rows.getObject(1, UUID.class));
                }
            }
            smallOrg = orgs.remove(orgs.size() - 1);
            insert(connection, orgs, CHUNKS);
            insert(connection, List.of(smallOrg), 3);
            statement.execute("set maintenance_work_mem = '2GB'");
            // the migration's index definition, built once over the loaded table (faster than 100k incremental inserts)
            statement.execute("create index knowledge_base_embedding_idx on public.knowledge_base "
                    + "using hnsw (embedding extensions.vector_cosine_ops)");
            statement.execute("analyze public.knowledge_base");
        }
        database = Database.connect(provisioned.url().jdbcUrl(), null, null, 4);
    }

    @AfterAll
    void drop() {
        if (database != null) {
            database.close();
        }
        if (provisioned != null) {
            provisioned.close();
        }
    }

    @Test
    void recallAtThreeAgainstAnExactScanIsAtLeast95Percent() throws SQLException {
        double recall = 0;
        int queries = 100;
        for (int i = 0; i < queries; i++) {
            UUID org = orgs.get(i % orgs.size());
            float[] question = randomVector();
            var claims = claimsFor(org);
            List<UUID> found = database.asUser(claims, c -> store.nearest(c, org, question, MODEL, 3))
                    .stream().map(KnowledgeStore.Source::id).toList();
            List<UUID> exact = database.asUser(claims, c -> exactNearest(c, org, question, 3));
            assertThat(found).as("an org with 2,000 chunks always gets k = 3").hasSize(3);
            var hits = new HashSet<>(found);
            hits.retainAll(exact);
            recall += hits.size() / 3.0;
        }
        assertThat(recall / queries).as("mean recall@3 over %d queries", queries).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void anOrgWithFewChunksAmongManyStillGetsAllOfThem() throws SQLException {
        var claims = claimsFor(smallOrg);
        float[] question = randomVector();

        var three = database.asUser(claims, c -> store.nearest(c, smallOrg, question, MODEL, 3));
        var asked10 = database.asUser(claims, c -> store.nearest(c, smallOrg, question, MODEL, 10));

        assertThat(three).as("k = 3 from an org holding exactly 3 of %d chunks", CHUNKS + 3).hasSize(3);
        assertThat(asked10).as("k = 10 from an org holding 3").hasSize(3);
    }

    private static List<UUID> exactNearest(Connection connection, UUID org, float[] question, int k) throws SQLException {
        try (var settings = connection.createStatement()) {
            settings.execute("set local enable_indexscan = off");
            settings.execute("set local enable_bitmapscan = off");
        }
        try (var statement = connection.prepareStatement("select id from public.knowledge_base where org_id = ? "
                + "order by embedding <=> ?::vector limit ?")) {
            statement.setObject(1, org);
            statement.setString(2, Embeddings.literal(question));
            statement.setInt(3, k);
            var ids = new ArrayList<UUID>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    private static void insert(Connection connection, List<UUID> orgs, int chunks) throws SQLException {
        try (var statement = connection.prepareStatement("""
                insert into public.knowledge_base (org_id, content, content_hash, embedding, embedding_model)
                select (?::uuid[])[1 + g % cardinality(?::uuid[])], 'chunk ' || g, md5(random()::text || g),
                       (select array_agg(case when i <= 384 then random()::real - 0.5 else 0 end)
                        from generate_series(1, 1536) i where g > 0)::vector, 'synthetic'
                from generate_series(1, ?) g""")) {
            UUID[] ids = orgs.toArray(UUID[]::new);
            statement.setObject(1, ids);
            statement.setObject(2, ids);
            statement.setInt(3, chunks);
            statement.executeUpdate();
        }
    }

    private float[] randomVector() {
        float[] vector = new float[384];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = random.nextFloat() - 0.5f;
        }
        return Embeddings.padded(vector);
    }

    private static Claims claimsFor(UUID org) {
        UUID user = UUID.randomUUID();
        return new Claims(user, org, "{\"sub\":\"" + user + "\",\"org_id\":\"" + org + "\",\"role\":\"authenticated\"}");
    }
}
