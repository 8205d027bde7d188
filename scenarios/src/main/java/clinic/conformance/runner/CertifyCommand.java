package clinic.conformance.runner;

import clinic.conformance.fixtures.target.EmbeddedTarget;
import clinic.conformance.fixtures.target.Target;
import clinic.conformance.scenarios.Budgets;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/** {@code certify}: run the scenarios against a target and write {@code reports/}. */
final class CertifyCommand {
    private final Options options;
    private final PrintStream out;

    CertifyCommand(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    int run() {
        Path reports = Path.of(options.get("reports").orElse("reports")).toAbsolutePath();
        options.get("corpus-size").ifPresent(size -> System.setProperty(Budgets.CORPUS_SIZE_PROPERTY, size));
        Optional<String> url = options.get("target-url");
        if (url.isEmpty()) {
            out.println("Starting the embedded default (database, Google/LLM mock, reference server)…");
            try (EmbeddedTarget embedded = startEmbedded()) {
                return certify(embedded.target(), Preflight.checkTarget(embedded.target().url()), reports);
            }
        }
        var external = Preflight.externalTarget(options, url.get());
        return certify(external.target(), external.version(), reports);
    }

    private static EmbeddedTarget startEmbedded() {
        try {
            return EmbeddedTarget.start();
        } catch (RuntimeException e) {
            throw new Harness.CannotRun("the embedded default could not start: " + e.getMessage());
        }
    }

    private int certify(Target target, String version, Path reports) {
        Baseline baseline = options.get("baseline").map(Path::of).map(Baseline::read).orElse(Baseline.NONE);
        Summary summary = Certification.run(target, version, reports, options.flag("extended"),
                Selection.parse(options.get("only").orElse(null), options.get("exclude").orElse(null)), baseline, out);
        printTable(summary, reports);
        return summary.passed() ? 0 : 1;
    }

    private void printTable(Summary summary, Path reports) {
        out.println();
        out.printf("%-6s %-8s %s%n", "ID", "STATUS", "SCENARIO");
        for (var scenario : summary.scenarios()) {
            String listed = summary.baseline().lists(scenario.id()) ? "  [baseline: " + summary.baseline().reasons().get(scenario.id()) + "]" : "";
            out.printf("%-6s %-8s %s%s%n", scenario.id(), scenario.status(), scenario.name(), listed);
        }
        for (String stale : summary.staleBaseline()) {
            out.printf("Baseline: %s passes now; remove it from the baseline file.%n", stale);
        }
        out.printf("%n%d passed, %d failed, %d skipped%n", summary.count(ScenarioResult.PASSED),
                summary.count(ScenarioResult.FAILED) + summary.count(ScenarioResult.BROKEN),
                summary.count(ScenarioResult.SKIPPED));
        out.println("Harness " + summary.harness() + "; target version " + summary.target().get("version"));
        out.println("Gate: " + (summary.passed() ? "PASSED" : "FAILED (" + summary.unexpectedFailures().stream()
                .map(ScenarioResult::id).collect(java.util.stream.Collectors.joining(", ")) + ")"));
        out.println("Reports: " + reports.resolve("summary.json") + ", " + reports.resolve("junit") + ", "
                + reports.resolve("allure-report/index.html") + ", " + reports.resolve("certificate.html"));
    }
}
