package clinic.conformance.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What to drive — the one definition of the plan file the harness writes and the generator reads: the target, the
 * bearer token, and phases run one after the other, each one request shape held at a number of concurrent callers
 * for a number of seconds. A body may name {@code {{slot}}} (a fresh half-hour slot per request, never repeated in
 * this process) and {@code {{id}}} (a UUID). The file holds a token: {@link #write} leaves its permissions alone, so
 * the caller creates it owner-only first.
 */
public record LoadPlan(String baseUrl, String token, List<Phase> phases) {

    /** One phase: {@code callers} concurrent callers repeat this request for {@code seconds}, expecting {@code status}. */
    public record Phase(String name, String method, String path, String body, int callers, int seconds, int status,
                        boolean authorized) {

        /** {@code GET /health} without a token: the HTTP floor. */
        public static Phase health(String name, int callers, int seconds) {
            return new Phase(name, "GET", "/health", null, callers, seconds, 200, false);
        }

        /** A tool-calls message with the plan's token, answered with {@code status}. */
        public static Phase tools(String name, String body, int status, int callers, int seconds) {
            return new Phase(name, "POST", "/api/vapi/tools", body, callers, seconds, status, true);
        }
    }

    public static LoadPlan read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        var phases = new ArrayList<Phase>();
        for (JsonNode phase : root.path("phases")) {
            phases.add(new Phase(phase.path("name").asText(), phase.path("method").asText("GET"),
                    phase.path("path").asText(), phase.path("body").isNull() ? null : phase.path("body").asText(null),
                    phase.path("callers").asInt(1), phase.path("seconds").asInt(5), phase.path("status").asInt(200),
                    phase.path("authorized").asBoolean(true)));
        }
        return new LoadPlan(root.path("baseUrl").asText(), root.path("token").asText(), List.copyOf(phases));
    }

    /** Writes the plan into {@code file}, which must exist (made owner-only by the caller: it holds the token). */
    public void write(Path file) throws IOException {
        var mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode().put("baseUrl", baseUrl).put("token", token);
        var array = root.putArray("phases");
        for (Phase phase : phases) {
            ObjectNode node = array.addObject().put("name", phase.name()).put("method", phase.method())
                    .put("path", phase.path()).put("callers", phase.callers()).put("seconds", phase.seconds())
                    .put("status", phase.status()).put("authorized", phase.authorized());
            if (phase.body() != null) {
                node.put("body", phase.body());
            }
        }
        Files.writeString(file, mapper.writeValueAsString(root));
    }
}
