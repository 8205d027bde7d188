package clinic.conformance.runner.certify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code reports/summary.md}, the page a reviewer reads in a pull request or on a CI run's summary: the verdict, the
 * target, profile and tokens, the certified grid, each failure with its first message line, its reproduce command and
 * its request as {@code curl} (secrets as variables), and the baseline's stale entries. The counts are the
 * certificate's. Beside it, {@code reports/annotations.txt}: one GitHub workflow command per failed scenario.
 */
public final class SummaryMarkdown {
    private SummaryMarkdown() {
    }

    static void write(Path reports, Summary summary, Map<String, List<String>> reproduce) throws IOException {
        Files.writeString(reports.resolve("summary.md"), markdown(summary, reproduce));
        Files.writeString(reports.resolve("annotations.txt"), annotations(summary));
    }

    static String markdown(Summary summary, Map<String, List<String>> reproduce) {
        var counts = Certificate.Counts.of(summary);
        var md = new StringBuilder();
        md.append("## Conformance: ").append(summary.passed() ? "✅ gate passed" : "❌ gate failed").append("\n\n");
        md.append("**").append(counts.certified()).append(" certified scenarios passed**");
        if (counts.extendedTotal() > 0) {
            md.append(", ").append(counts.extended()).append(" extended checks passed");
        }
        md.append(" — ").append(summary.count(ScenarioStatus.PASSED)).append(" passed, ")
                .append(summary.count(ScenarioStatus.FAILED) + summary.count(ScenarioStatus.BROKEN)).append(" failed, ")
                .append(summary.count(ScenarioStatus.SKIPPED)).append(" skipped\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| target | `").append(summary.target().get("url")).append("` (version ")
                .append(summary.target().get("version")).append(") |\n");
        md.append("| profile | ").append(summary.target().get("profile")).append(" |\n");
        md.append("| tokens | ").append(summary.target().getOrDefault("tokens", "not recorded")).append(" |\n");
        md.append("| e-mail confirmation | ").append(summary.target().getOrDefault("email_confirmation", "not recorded"))
                .append(" |\n");
        md.append("| harness | ").append(summary.harness()).append(", contract ").append(Catalogue.CONTRACT_VERSION).append(" |\n\n");
        md.append(grid(summary));
        var failures = summary.scenarios().stream().filter(SummaryMarkdown::failing).toList();
        if (!failures.isEmpty()) {
            md.append("\n### Failures\n");
            for (var failure : failures) {
                md.append("\n**").append(failure.id()).append("** ").append(escape(failure.name()))
                        .append(summary.baseline().lists(failure.id()) ? " _(in the baseline: does not fail the gate)_" : "")
                        .append("\n\n> ").append(escape(firstLine(failure.message()))).append("\n");
                var lines = reproduce.getOrDefault(failure.id(), List.of());
                if (!lines.isEmpty()) {
                    md.append("\n```bash\n").append(lines.stream().map(l -> l.replaceFirst("^(Reproduce|Last request): ", ""))
                            .collect(Collectors.joining("\n"))).append("\n```\n");
                }
            }
        }
        var stale = summary.staleBaseline();
        if (!stale.isEmpty()) {
            md.append("\n### Stale baseline entries\n\nThese pass now; remove them from the baseline file: ")
                    .append(stale.stream().map(id -> "`" + id + "`").collect(Collectors.joining(", "))).append("\n");
        }
        md.append("\nReports: `allure-report/index.html` (opens from disk), `certificate.html`, `summary.json`, `junit/`.\n");
        return md.toString();
    }

    private static String grid(Summary summary) {
        var md = new StringBuilder("| ID | status | scenario |\n|---|---|---|\n");
        for (var scenario : summary.scenarios()) {
            if (Catalogue.find(scenario.id()).filter(c -> !c.extended()).isPresent()) {
                md.append("| ").append(scenario.id()).append(" | ").append(icon(scenario.status())).append(' ')
                        .append(scenario.status()).append(" | ").append(escape(scenario.name())).append(" |\n");
            }
        }
        var extended = summary.scenarios().stream().filter(s -> Catalogue.find(s.id()).filter(c -> !c.extended()).isEmpty())
                .collect(Collectors.groupingBy(s -> s.id().replaceAll("\\..*", ""), java.util.LinkedHashMap::new,
                        Collectors.toList()));
        extended.forEach((group, results) -> {
            long passed = results.stream().filter(r -> r.status().equals(ScenarioStatus.PASSED)).count();
            String failed = results.stream().filter(SummaryMarkdown::failing).map(ScenarioResult::id)
                    .collect(Collectors.joining(", "));
            md.append("| ").append(group).append(" | ").append(passed == results.size() ? "✅" : "⚠️").append(' ')
                    .append(passed).append('/').append(results.size()).append(" passed | extended: ")
                    .append(failed.isEmpty() ? "no failure" : "failed " + failed).append(" |\n");
        });
        return md.toString();
    }

    /** {@code ::error title=S2.4::message}, one per failure the baseline does not list (GitHub's workflow commands). */
    static String annotations(Summary summary) {
        return summary.unexpectedFailures().stream()
                .map(s -> "::error title=" + s.id() + "::" + command(s.name() + ": " + firstLine(s.message())) + "\n")
                .collect(Collectors.joining());
    }

    private static String command(String text) {
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static boolean failing(ScenarioResult s) {
        return s.status().unmet();
    }

    private static String icon(ScenarioStatus status) {
        return switch (status) {
            case PASSED -> "✅";
            case SKIPPED -> "⏭️";
            default -> "❌";
        };
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("<", "&lt;");
    }
}
