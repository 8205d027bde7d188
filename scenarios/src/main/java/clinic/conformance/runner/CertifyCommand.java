package clinic.conformance.runner;

import clinic.conformance.fixtures.report.LastRequest;
import clinic.conformance.fixtures.target.EmbeddedDefault;
import clinic.conformance.fixtures.target.Target;
import clinic.conformance.scenarios.Budgets;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

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
        Selection selection = Selection.parse(options.get("only").orElse(null), options.get("exclude").orElse(null));
        boolean extended = options.flag("extended");
        checkSelection(selection, extended);
        Baseline baseline = options.get("baseline").map(Path::of).map(Baseline::read).orElse(Baseline.NONE);
        options.get("corpus-size").ifPresent(size -> System.setProperty(Budgets.CORPUS_SIZE_PROPERTY, size));
        options.get("seed").ifPresent(seed -> System.setProperty("conformance.history.seed", seed));
        System.setProperty(clinic.conformance.fixtures.vapi.VapiCredentialKind.PROPERTY, options.get("vapi-auth").orElse("jwt"));
        options.get("clients").ifPresent(clients -> System.setProperty("conformance.history.clients", clients));
        options.get("history-seconds").ifPresent(seconds -> System.setProperty("conformance.history.seconds", seconds));
        options.get("refresh-reuse-seconds").ifPresent(seconds -> System.setProperty(
                clinic.conformance.scenarios.platform.SessionsAndKeysTests.REUSE_SECONDS_PROPERTY, seconds));
        Optional<String> url = options.get("target-url");
        if (url.isEmpty()) {
            EmbeddedDefault embedded = Harness.embedded("certify without --target-url");
            out.println("Starting the embedded default (database, Google/LLM mock, reference server)…");
            try (EmbeddedDefault.Running running = start(embedded)) {
                Target target = running.target();
                return certify(target, Preflight.checkTarget(target.url()), reports, selection, baseline);
            }
        }
        var external = Preflight.externalTarget(options, url.get());
        return certify(external.target().withProfile(options.profile()), external.version(), reports, selection, baseline);
    }

    /** SPEC §5: selecting nothing is exit 2, never a pass. */
    private static void checkSelection(Selection selection, boolean extended) {
        if (!Catalogue.selected(selection, extended).isEmpty()) {
            return;
        }
        boolean wouldWithExtended = !extended && !Catalogue.selected(selection, true).isEmpty();
        throw new Options.UsageError("--only/--exclude select no scenario"
                + (wouldWithExtended ? " without --extended" : "; IDs are " + Catalogue.ALL.get(0).id() + " to "
                + Catalogue.core().get(Catalogue.core().size() - 1).id() + ", and X1 to X5, V1 to V2, P1 with --extended"));
    }

    private EmbeddedDefault.Running start(EmbeddedDefault embedded) {
        try {
            return embedded.start(options.get("db-url"), options.profile(), options.embeddedSettings());
        } catch (RuntimeException e) {
            throw new Harness.CannotRun("the embedded default could not start: " + e.getMessage());
        }
    }

    private int certify(Target target, String version, Path reports, Selection selection, Baseline baseline) {
        Summary summary = Certification.run(target, version, reports, options.flag("extended"), selection, baseline, out,
                this::reproduce);
        printTable(summary, reports);
        return summary.passed() ? 0 : 1;
    }

    /** How to see one failed check again: the {@code --only} command, and its last request as {@code curl}. */
    private List<String> reproduce(String id) {
        // the released zip's bin/conformance names itself; the project's launcher is ./harness
        String launcher = System.getProperty("conformance.launcher", "./harness");
        var command = new ArrayList<String>(List.of(launcher, "certify", "--only", id));
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
        var lines = new ArrayList<String>();
        lines.add("Reproduce: " + String.join(" ", command));
        LastRequest.last().ifPresent(curl -> lines.add("Last request: " + curl.line()));
        return lines;
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
        out.printf("%n%d passed, %d failed, %d skipped%n", summary.count(ScenarioResult.PASSED),
                summary.count(ScenarioResult.FAILED) + summary.count(ScenarioResult.BROKEN),
                summary.count(ScenarioResult.SKIPPED));
        out.println("Harness " + summary.harness() + "; target version " + summary.target().get("version")
                + "; profile " + summary.target().get("profile"));
        out.println("Gate: " + (summary.passed() ? "PASSED" : "FAILED (" + summary.unexpectedFailures().stream()
                .map(ScenarioResult::id).collect(Collectors.joining(", ")) + ")"));
        out.println("Reports: " + reports.resolve("summary.json") + ", " + reports.resolve("junit") + ", "
                + reports.resolve("allure-report/index.html") + ", " + reports.resolve("certificate.html"));
    }
}
