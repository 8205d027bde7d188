package clinic.conformance.runner.certify;

import clinic.conformance.runner.cli.HarnessVersion;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code reports/summary.json} (contract §5): the target, when, each scenario's status, and the counts. */
public record Summary(Map<String, String> target, OffsetDateTime startedAt, List<ScenarioResult> scenarios,
                      HarnessVersion harness, Baseline baseline, List<String> warnings) {

    /** Every catalogued scenario appears: one that did not run is skipped, with the reason. */
    public static Summary of(Map<String, String> target, OffsetDateTime startedAt, Map<String, ScenarioResult> ran,
                             boolean extended, Selection selection) {
        return of(target, startedAt, ran, extended, selection, Baseline.NONE);
    }

    public static Summary of(Map<String, String> target, OffsetDateTime startedAt, Map<String, ScenarioResult> ran,
                             boolean extended, Selection selection, Baseline baseline) {
        var scenarios = new ArrayList<ScenarioResult>();
        var core = Catalogue.core();
        core.forEach(scenario -> scenarios.add(ran.getOrDefault(scenario.id(),
                new ScenarioResult(scenario.id(), scenario.name(), ScenarioStatus.SKIPPED, 0,
                        selection.selects(scenario.id()) ? "not run against this target" : "not selected (--only/--exclude)"))));
        ran.values().stream().filter(r -> core.stream().noneMatch(s -> s.id().equals(r.id())))
                .filter(r -> extended || !r.id().startsWith("X")).forEach(scenarios::add);
        return new Summary(target, startedAt, scenarios, HarnessVersion.current(), baseline, List.of());
    }

    /** The same summary with what the run could not do cleanly (rows left in the target, …). */
    public Summary withWarnings(List<String> newWarnings) {
        return new Summary(target, startedAt, scenarios, harness, baseline, List.copyOf(newWarnings));
    }

    public long count(ScenarioStatus status) {
        return scenarios.stream().filter(s -> s.status().equals(status)).count();
    }

    /** The gate: true when no scenario failed or broke, other than those the baseline lists. */
    public boolean passed() {
        return unexpectedFailures().isEmpty();
    }

    public List<ScenarioResult> unexpectedFailures() {
        return scenarios.stream().filter(Summary::failing).filter(s -> !baseline.lists(s.id())).toList();
    }

    /** Listed in the baseline but passing now: the baseline should shrink. */
    public List<String> staleBaseline() {
        return scenarios.stream().filter(s -> s.status().equals(ScenarioStatus.PASSED) && baseline.lists(s.id()))
                .map(ScenarioResult::id).toList();
    }

    private static boolean failing(ScenarioResult s) {
        return s.status().unmet();
    }

    public void write(Path file) throws IOException {
        var json = new LinkedHashMap<String, Object>();
        json.put("target", target);
        json.put("harness", Map.of("version", harness.version(), "commit", harness.commit()));
        json.put("started_at", startedAt.toString());
        var list = new ArrayList<Map<String, Object>>();
        for (var scenario : scenarios) {
            var entry = new LinkedHashMap<String, Object>();
            entry.put("id", scenario.id());
            entry.put("name", scenario.name());
            entry.put("status", scenario.status());
            Catalogue.contractOf(scenario.id()).ifPresent(contract -> entry.put("contract", contract));
            entry.put("duration_ms", scenario.durationMs());
            if (scenario.message() != null) {
                entry.put("message", scenario.message());
            }
            if (baseline.lists(scenario.id())) {
                entry.put("baseline", baseline.reasons().get(scenario.id()));
                entry.put("baseline_stale", scenario.status().equals(ScenarioStatus.PASSED));
            }
            list.add(entry);
        }
        json.put("scenarios", list);
        json.put("passed", count(ScenarioStatus.PASSED));
        json.put("failed", count(ScenarioStatus.FAILED) + count(ScenarioStatus.BROKEN));
        json.put("skipped", count(ScenarioStatus.SKIPPED));
        json.put("gate", passed() ? "passed" : "failed");
        json.put("baseline_stale", staleBaseline());
        json.put("warnings", warnings);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }
}
