package clinic.conformance.runner.certify;

import clinic.conformance.fixtures.report.Evidence;
import clinic.conformance.fixtures.run.Run;
import clinic.conformance.fixtures.run.RunOptions;
import clinic.conformance.fixtures.target.EmbeddedDefault;
import clinic.conformance.fixtures.target.Target;
import clinic.conformance.runner.cli.CannotRun;
import clinic.conformance.runner.cli.Distribution;
import clinic.conformance.runner.cli.Options;
import clinic.conformance.runner.cli.UsageError;
import clinic.conformance.runner.doctor.Preflight;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@code certify}: run the scenarios against a target and write {@code reports/}. */
public final class CertifyCommand {
    private final Options options;
    private final PrintStream out;
    private final Timings timings = new Timings();

    public CertifyCommand(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public int run() {
        Selection selection = Selection.parse(options.get("only").orElse(null), options.get("exclude").orElse(null));
        checkSelection(selection, options.flag("extended"));
        Baseline baseline = options.get("baseline").map(Path::of).map(Baseline::read).orElse(Baseline.NONE);
        Optional<URI> url = options.targetUrl();
        if (url.isEmpty()) {
            EmbeddedDefault embedded = Distribution.embeddedDefault("certify without --target-url");
            out.println("Starting the embedded default (database, Google/LLM mock, reference server)…");
            try (EmbeddedDefault.Running running = timings.time("embedded default: start", () -> start(embedded))) {
                running.startTimes().forEach(timings::addPart);
                Target target = running.target();
                RunOptions choices = options.runOptions();
                if (options.get("refresh-reuse-seconds").isEmpty()) {
                    // the embedded default says its own interval; a team's project is told it (--refresh-reuse-seconds)
                    choices = running.refreshReuseInterval().map(choices::withRefreshReuse).orElse(choices);
                }
                return certify(target, choices, timings.time("preflight", () -> Preflight.checkTarget(target.url())),
                        selection, baseline);
            }
        }
        var external = timings.time("preflight (reachable, database, doctor, keys)",
                () -> Preflight.externalTarget(options, url.get()));
        return certify(external.target().withProfile(options.profile()), options.runOptions(), external.version(),
                selection, baseline);
    }

    /** Contract §5: selecting nothing is exit 2, never a pass. */
    private static void checkSelection(Selection selection, boolean extended) {
        if (!Catalogue.selected(selection, extended).isEmpty()) {
            return;
        }
        boolean wouldWithExtended = !extended && !Catalogue.selected(selection, true).isEmpty();
        throw new UsageError("--only/--exclude select no scenario"
                + (wouldWithExtended ? " without --extended" : "; IDs are " + Catalogue.ALL.get(0).id() + " to "
                + Catalogue.core().get(Catalogue.core().size() - 1).id() + ", and X1 to X5, V1 to V2, P1 with --extended"));
    }

    private EmbeddedDefault.Running start(EmbeddedDefault embedded) {
        try {
            return embedded.start(options.embeddedSettings());
        } catch (RuntimeException e) {
            throw new CannotRun("the embedded default could not start: " + e.getMessage());
        }
    }

    private int certify(Target target, RunOptions choices, String version, Selection selection, Baseline baseline) {
        var run = new Run(target, choices, new Evidence());
        Summary summary = Certification.of(run, version).selecting(selection, options.flag("extended"))
                .withBaseline(baseline).reproducingWith(this::reproduce).timedIn(timings).run(out);
        printTable(summary, run.options().reports());
        if (options.flag("timings")) {
            timings.print(out);
        }
        return summary.passed() ? 0 : 1;
    }

    /** How to see one failed check again: the {@code --only} command (its last request follows, as {@code curl}). */
    private List<String> reproduce(String id) {
        var command = new ArrayList<String>(List.of(options.launcher(), "certify", "--only", id));
        options.get("profile").ifPresent(profile -> command.addAll(List.of("--profile", profile)));
        boolean core = Catalogue.find(id).map(scenario -> !scenario.extended()).orElse(false);
        if (options.flag("extended") && !core) {
            command.add("--extended");
        }
        for (String option : new String[] {"target-url", "mock-url"}) {
            options.get(option).ifPresent(value -> command.addAll(List.of("--" + option, value)));
        }
        if (options.get("target-url").isPresent()) {
            command.addAll(List.of("--db-url", "\"$" + Options.envName("db-url") + "\""));
        }
        return List.of("Reproduce: " + String.join(" ", command));
    }

    private void printTable(Summary summary, Path reports) {
        out.println();
        out.printf("%-6s %-8s %s%n", "ID", "STATUS", "SCENARIO");
        for (var scenario : summary.scenarios()) {
            String listed = summary.baseline().lists(scenario.id()) ? "  [baseline: " + summary.baseline().reasons().get(scenario.id()) + "]" : "";
            out.printf("%-6s %-8s %s%s%n", scenario.id(), scenario.status(), scenario.name(), listed);
        }
        for (String warning : summary.warnings()) {
            out.println("Warning: " + warning);
        }
        for (String stale : summary.staleBaseline()) {
            out.printf("Baseline: %s passes now; remove it from the baseline file.%n", stale);
        }
        out.printf("%n%d passed, %d failed, %d skipped%n", summary.count(ScenarioStatus.PASSED),
                summary.count(ScenarioStatus.FAILED) + summary.count(ScenarioStatus.BROKEN),
                summary.count(ScenarioStatus.SKIPPED));
        out.println("Harness " + summary.harness() + "; target version " + summary.target().get("version")
                + "; profile " + summary.target().get("profile"));
        out.println("Gate: " + (summary.passed() ? "PASSED" : "FAILED (" + summary.unexpectedFailures().stream()
                .map(ScenarioResult::id).collect(Collectors.joining(", ")) + ")"));
        out.println("Reports: " + reports.resolve("summary.json") + ", " + reports.resolve("junit") + ", "
                + reports.resolve("allure-report/index.html") + ", " + reports.resolve("certificate.html"));
    }
}
