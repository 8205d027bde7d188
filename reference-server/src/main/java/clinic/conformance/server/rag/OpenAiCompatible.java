package clinic.conformance.server.rag;

import clinic.conformance.server.http.ApiError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** POSTs JSON to an OpenAI-compatible API ({@code {base}/chat/completions}, {@code {base}/embeddings}). */
final class OpenAiCompatible {
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final URI baseUrl;
    private final String apiKey;
    private final Duration timeout;

    OpenAiCompatible(ObjectMapper mapper, URI baseUrl, String apiKey, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.mapper = mapper;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.timeout = timeout;
    }

    /** The parsed response; any failure (timeout, non-2xx, unreadable body) is a 503 for the caller. */
    JsonNode post(String path, Object body) {
        try {
            String base = baseUrl.toString().endsWith("/") ? baseUrl.toString() : baseUrl + "/";
            var request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)));
            if (apiKey != null && !apiKey.isBlank()) {
                request.header("Authorization", "Bearer " + apiKey);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw unavailable();
            }
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
    }

    static ApiError unavailable() {
        return new ApiError(503, "unavailable", "the answer service is unavailable right now; try again shortly");
    }
}
