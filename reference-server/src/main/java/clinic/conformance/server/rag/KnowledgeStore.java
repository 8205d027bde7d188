package clinic.conformance.server.rag;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQL for {@code knowledge_base}, on connections set to the caller's claims (RLS) and filtered by org in the query too. */
public class KnowledgeStore {

    /** A retrieved chunk: id, text, and cosine similarity to the question. */
    public record Source(UUID id, String content, double similarity) {
    }

    /** Stores a chunk once per org: re-ingesting the same text returns the existing row's id. */
    public UUID insert(Connection connection, UUID orgId, String title, String content, String metadataJson,
                       float[] embedding, String model) throws SQLException {
        String hash = sha256(content);
        try (var statement = connection.prepareStatement("insert into public.knowledge_base (org_id, title, content, "
                + "content_hash, metadata, embedding, embedding_model) values (?, ?, ?, ?, ?::jsonb, ?::vector, ?) "
                + "on conflict (org_id, content_hash) do nothing returning id")) {
            statement.setObject(1, orgId);
            statement.setString(2, title);
            statement.setString(3, content);
            statement.setString(4, hash);
            statement.setString(5, metadataJson);
            statement.setString(6, Embeddings.literal(embedding));
            statement.setString(7, model);
            try (var rows = statement.executeQuery()) {
                if (rows.next()) {
                    return rows.getObject(1, UUID.class);
                }
            }
        }
        try (var statement = connection.prepareStatement(
                "select id from public.knowledge_base where org_id = ? and content_hash = ?")) {
            statement.setObject(1, orgId);
            statement.setString(2, hash);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getObject(1, UUID.class);
            }
        }
    }

    /**
     * The k chunks of the caller's org nearest the question, through the HNSW index. pgvector 0.8's iterative scan
     * keeps walking the graph until k rows pass the org filter, so a filtered scan does not come back short.
     */
    public List<Source> nearest(Connection connection, UUID orgId, float[] question, String model, int k)
            throws SQLException {
        try (var settings = connection.createStatement()) {
            settings.execute("set local hnsw.ef_search = 100");
            settings.execute("set local hnsw.iterative_scan = relaxed_order");
        }
        String vector = Embeddings.literal(question);
        var found = new ArrayList<Source>();
        try (var statement = connection.prepareStatement("select id, content, 1 - (embedding <=> ?::vector) as similarity "
                + "from public.knowledge_base where org_id = ? and embedding_model = ? "
                + "order by embedding <=> ?::vector limit ?")) {
            statement.setString(1, vector);
            statement.setObject(2, orgId);
            statement.setString(3, model);
            statement.setString(4, vector);
            statement.setInt(5, k);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(new Source(rows.getObject(1, UUID.class), rows.getString(2), rows.getDouble(3)));
                }
            }
        }
        // relaxed_order may return near-ties slightly out of order: the contract promises descending similarity
        found.sort((a, b) -> Double.compare(b.similarity(), a.similarity()));
        return found;
    }

    private static String sha256(String text) {
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
