package clinic.conformance.server.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** An OpenAI-compatible {@code /embeddings} endpoint (configurable base URL and model). */
public final class OpenAiEmbeddingModel implements EmbeddingModel {
    private final OpenAiCompatible api;
    private final String model;

    public OpenAiEmbeddingModel(ObjectMapper mapper, URI baseUrl, String apiKey, String model, Duration timeout) {
        this.api = new OpenAiCompatible(mapper, baseUrl, apiKey, timeout);
        this.model = model;
    }

    @Override
    public String name() {
        return model;
    }

    @Override
    public float[] embed(String text) {
        JsonNode vector = api.post("embeddings", Map.of("model", model, "input", text)).path("data").path(0).path("embedding");
        if (!vector.isArray() || vector.isEmpty() || vector.size() > Embeddings.DIMENSIONS) {
            throw OpenAiCompatible.unavailable();
        }
        float[] values = new float[vector.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) vector.get(i).asDouble();
        }
        return values;
    }
}
