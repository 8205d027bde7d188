package clinic.conformance.server.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** An OpenAI-compatible chat-completions API: system prompt with the sources, the caller's question, one answer. */
public final class OpenAiChatModel implements ChatModel {
    private final OpenAiCompatible api;
    private final String model;

    public OpenAiChatModel(ObjectMapper mapper, URI baseUrl, String apiKey, String model, Duration timeout) {
        this.api = new OpenAiCompatible(mapper, baseUrl, apiKey, timeout);
        this.model = model;
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public String answer(String systemPrompt, String question) {
        JsonNode response = api.post("chat/completions", Map.of(
                "model", model,
                "temperature", 0,
                "messages", List.of(Map.of("role", "system", "content", systemPrompt),
                        Map.of("role", "user", "content", question))));
        JsonNode content = response.path("choices").path(0).path("message").path("content");
        if (!content.isTextual() || content.asText().isBlank()) {
            throw OpenAiCompatible.unavailable();
        }
        return content.asText();
    }
}
