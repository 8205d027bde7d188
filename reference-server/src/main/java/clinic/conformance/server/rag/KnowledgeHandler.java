package clinic.conformance.server.rag;

import clinic.conformance.server.auth.Claims;
import clinic.conformance.server.auth.TokenVerifier;
import clinic.conformance.server.db.Database;
import clinic.conformance.server.http.ApiError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;

/** {@code POST /api/knowledge}: chunk, embed and store a document under the token's org. */
public final class KnowledgeHandler {
    public static final int MAX_CONTENT = 50_000;
    private final ObjectMapper mapper;
    private final Database database;
    private final TokenVerifier tokens;
    private final KnowledgeStore knowledge;
    private final EmbeddingModel embeddings;
    private final Chunker chunker;

    public KnowledgeHandler(ObjectMapper mapper, Database database, TokenVerifier tokens, KnowledgeStore knowledge,
                            EmbeddingModel embeddings, Chunker chunker) {
        this.mapper = mapper;
        this.database = database;
        this.tokens = tokens;
        this.knowledge = knowledge;
        this.embeddings = embeddings;
        this.chunker = chunker;
    }

    public void ingest(Context ctx) throws Exception {
        JsonNode body = mapper.readTree(ctx.bodyAsBytes());
        JsonNode content = body == null ? null : body.get("content");
        if (content == null || !content.isTextual() || content.asText().isBlank() || content.asText().length() > MAX_CONTENT
                || !clinic.conformance.server.http.Text.storable(content.asText())) {
            throw ApiError.invalidRequest("content must be text of 1-" + MAX_CONTENT + " characters");
        }
        JsonNode title = body.get("title");
        if (title != null && !title.isNull() && !title.isTextual()) {
            throw ApiError.invalidRequest("title must be text");
        }
        JsonNode metadata = body.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw ApiError.invalidRequest("metadata must be a JSON object");
        }
        Claims claims = tokens.verifyHeader(ctx.header("Authorization"));
        List<String> chunks = chunker.chunks(content.asText());
        var vectors = new ArrayList<float[]>();
        for (String chunk : chunks) {
            vectors.add(Embeddings.padded(embeddings.embed(chunk)));
        }
        String titleText = title == null || title.isNull() ? null : title.asText();
        String metadataJson = metadata == null || metadata.isNull() ? "{}" : metadata.toString();
        List<UUID> ids = database.asUser(claims, connection -> {
            var stored = new ArrayList<UUID>();
            for (int i = 0; i < chunks.size(); i++) {
                stored.add(knowledge.insert(connection, claims.orgId(), titleText, chunks.get(i), metadataJson,
                        vectors.get(i), embeddings.name()));
            }
            return stored;
        });
        var answer = new LinkedHashMap<String, Object>();
        answer.put("success", true);
        answer.put("ids", ids.stream().distinct().toList());
        answer.put("chunks", chunks.size());
        answer.put("embedding_model", embeddings.name());
        ctx.status(201).json(answer);
    }
}
