package clinic.conformance.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One phase's figures as the generator measured them — the one definition of the results file
 * ({@code load-results.json}) the generator writes and the harness reads: answered requests and failures, requests a
 * second, when the phase ran, and Gatling's response times (p50, p99, max) of the answered ones.
 */
public record PhaseFigures(int callers, int seconds, long ok, long ko, double perSecond, long startedEpochMs,
                           long endedEpochMs, double p50Ms, double p99Ms, double maxMs) {

    public ObjectNode json(ObjectMapper mapper) {
        return mapper.createObjectNode().put("callers", callers).put("seconds", seconds).put("ok", ok).put("ko", ko)
                .put("per_second", perSecond).put("started_epoch_ms", startedEpochMs).put("ended_epoch_ms", endedEpochMs)
                .put("p50_ms", p50Ms).put("p99_ms", p99Ms).put("max_ms", maxMs);
    }

    static PhaseFigures of(JsonNode node) {
        return new PhaseFigures(node.path("callers").asInt(), node.path("seconds").asInt(), node.path("ok").asLong(),
                node.path("ko").asLong(), node.path("per_second").asDouble(), node.path("started_epoch_ms").asLong(),
                node.path("ended_epoch_ms").asLong(), node.path("p50_ms").asDouble(), node.path("p99_ms").asDouble(),
                node.path("max_ms").asDouble());
    }

    /** Every phase's figures, by phase name, in the order they ran. */
    public static Map<String, PhaseFigures> readAll(Path file) throws IOException {
        var phases = new LinkedHashMap<String, PhaseFigures>();
        new ObjectMapper().readTree(file.toFile()).fields()
                .forEachRemaining(entry -> phases.put(entry.getKey(), of(entry.getValue())));
        return phases;
    }

    public static void writeAll(Map<String, PhaseFigures> phases, Path file) throws IOException {
        var mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        phases.forEach((name, figures) -> root.set(name, figures.json(mapper)));
        mapper.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }
}
