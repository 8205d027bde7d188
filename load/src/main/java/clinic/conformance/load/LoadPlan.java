package clinic.conformance.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What to drive, read from the JSON file the harness writes: the target, the bearer token, and phases run one after
 * the other — each one request shape held at a number of concurrent callers for a number of seconds. A body may name
 * {@code {{slot}}} (a fresh half-hour slot per request, never repeated in this process) and {@code {{id}}} (a UUID).
 */
record LoadPlan(String baseUrl, String token, List<Phase> phases) {

    /** One phase: {@code callers} concurrent callers repeat this request for {@code seconds}, expecting {@code status}. */
    record Phase(String name, String method, String path, String body, int callers, int seconds, int status,
                 boolean authorized) {
    }

    static LoadPlan read(Path file) throws IOException {
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
}
