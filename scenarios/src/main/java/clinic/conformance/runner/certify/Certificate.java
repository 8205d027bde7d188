package clinic.conformance.runner.certify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code reports/certificate.html} (one printable page) and {@code reports/certificate.json}. */
public final class Certificate {
    /** Contract §4: path, the seed's budget, our tighter one. */
    static final List<List<String>> BUDGETS = List.of(
            List.of("Booking, full HTTP flow", "< 500 ms", "≤ 15 ms", "booking"),
            List.of("Conflict check (409 path)", "< 50 ms", "≤ 10 ms", "conflict"),
            List.of("Calendar sync (booking → event at Google mock)", "< 200 ms", "≤ 50 ms", "calendar_sync"),
            List.of("Vector search, top-3 of 100k chunks, filtered by org", "< 100 ms", "≤ 10 ms", "vector_search"),
            List.of("RAG pipeline, LLM mocked", "< 300 ms", "≤ 40 ms", "rag"),
            List.of("Booking, 16 concurrent callers on one provider (load generator)", "—",
                    "≥ 50 % of the RLS INSERT floor's rate, p99 ≤ 50 ms", "load_16"));
    static final String NOT_MEASURED = "not measured in this run";

    private Certificate() {
    }

    /** The certificate's counts, which summary.md and a CI job's summary repeat: certified (core) and extended. */
    record Counts(List<ScenarioResult> core, long corePassed, List<ScenarioResult> extendedChecks, long extendedPassed) {
        static Counts of(Summary summary) {
            var core = summary.scenarios().stream().filter(s -> Catalogue.find(s.id()).filter(c -> !c.extended()).isPresent()).toList();
            var extended = summary.scenarios().stream().filter(s -> !Catalogue.find(s.id()).filter(c -> !c.extended()).isPresent()).toList();
            return new Counts(core, passed(core), extended, passed(extended));
        }

        String certified() {
            return corePassed + "/" + core.size();
        }

        String extended() {
            return extendedPassed + "/" + extendedChecks.size();
        }

        int extendedTotal() {
            return extendedChecks.size();
        }

        private static long passed(List<ScenarioResult> results) {
            return results.stream().filter(s -> s.status().equals(ScenarioStatus.PASSED)).count();
        }
    }

    static void write(Path reports, Summary summary) throws IOException {
        Map<String, String> measured = measuredBudgets(reports, summary.target().get("url"));
        var counts = Counts.of(summary);
        var core = counts.core();
        var extended = counts.extendedChecks();
        long corePassed = counts.corePassed();
        long extendedPassed = counts.extendedPassed();

        var json = new LinkedHashMap<String, Object>();
        json.put("target", summary.target());
        json.put("date", summary.startedAt().toString());
        json.put("harness", Map.of("version", summary.harness().version(), "commit", summary.harness().commit()));
        json.put("profile", summary.target().get("profile"));
        json.put("profile_note", profileNote(summary.target().get("profile")));
        json.put("tokens", summary.target().getOrDefault("tokens", "not recorded"));
        json.put("email_confirmation", summary.target().getOrDefault("email_confirmation", "not recorded"));
        json.put("certified", counts.certified());
        json.put("gate", summary.passed() ? "passed" : "failed");
        var grid = new ArrayList<Map<String, String>>();
        core.forEach(s -> grid.add(Map.of("id", s.id(), "name", s.name(), "status", s.status().label())));
        json.put("scenarios", grid);
        if (!extended.isEmpty()) {
            json.put("extended", counts.extended());
        }
        json.put("budgets", BUDGETS.stream().map(b -> Map.of("path", b.get(0), "seed_budget", b.get(1), "our_budget", b.get(2),
                "measured_p99", measured.getOrDefault(b.get(3), NOT_MEASURED))).toList());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(reports.resolve("certificate.json").toFile(), json);
        Files.writeString(reports.resolve("certificate.html"), html(summary, core, corePassed, extended, extendedPassed, measured));
    }

    /**
     * The p99 of each path from {@code budgets.json} in the same reports folder, when {@code ./harness budgets} ran
     * there against the same target; empty otherwise.
     */
    static Map<String, String> measuredBudgets(Path reports, String targetUrl) {
        Path file = reports.resolve("budgets.json");
        var measured = new LinkedHashMap<String, String>();
        if (!Files.isRegularFile(file)) {
            return measured;
        }
        try {
            var json = new ObjectMapper().readTree(file.toFile());
            if (!json.path("target").asText().equals(targetUrl)) {
                return measured;
            }
            json.path("paths").fields().forEachRemaining(path -> measured.put(path.getKey(),
                    path.getValue().path("p99_ms").asText() + " ms (" + json.path("mode").asText() + " run, "
                            + json.path("measured_at").asText("date unknown") + ")"));
            for (var level : json.path("load").path("levels")) {
                if (level.path("callers").asInt() == 16) {
                    measured.put("load_16", String.format(java.util.Locale.ROOT, "%.0f bookings/s (%.0f %% of the floor's "
                                    + "%.0f/s), p99 %.0f ms", level.path("booking").path("per_second").asDouble(),
                            level.path("booking_to_floor").path("throughput").asDouble() * 100,
                            level.path("insert_floor").path("per_second").asDouble(), level.path("booking").path("p99_ms").asDouble()));
                }
            }
        } catch (IOException e) {
            return measured;
        }
        return measured;
    }

    private static String html(Summary summary, List<ScenarioResult> core, long corePassed, List<ScenarioResult> extended,
                               long extendedPassed, Map<String, String> measured) {
        var cells = new StringBuilder();
        for (var s : core) {
            cells.append("<div class=\"cell ").append(s.status()).append("\" title=\"").append(escape(s.name())).append("\">")
                    .append("<b>").append(s.id()).append("</b><span>").append(s.status()).append("</span></div>");
        }
        var budgets = new StringBuilder();
        for (var b : BUDGETS) {
            budgets.append("<tr><td>").append(escape(b.get(0))).append("</td><td>").append(escape(b.get(1)))
                    .append("</td><td>").append(escape(b.get(2))).append("</td><td>")
                    .append(escape(measured.getOrDefault(b.get(3), NOT_MEASURED))).append("</td></tr>");
        }
        String verdict = summary.passed() && corePassed == core.size() ? "Certified" : "Not certified";
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Conformance certificate</title>
                <style>
                  body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 52rem; color: #1d2430; }
                  h1 { margin-bottom: .2rem; } .sub { color: #5a6575; margin-top: 0; }
                  .verdict { font-size: 1.6rem; font-weight: 700; padding: .6rem 1rem; border-radius: .4rem; display: inline-block; }
                  .verdict.ok { background: #e3f6e8; color: #17692f; } .verdict.no { background: #fde8e8; color: #9b1c1c; }
                  table.meta td { padding: .15rem 1rem .15rem 0; } table.budgets { border-collapse: collapse; width: 100%%; }
                  table.budgets td, table.budgets th { border-bottom: 1px solid #dde2ea; padding: .3rem; text-align: left; }
                  .grid { display: grid; grid-template-columns: repeat(6, 1fr); gap: .4rem; margin: 1rem 0; }
                  .cell { border-radius: .3rem; padding: .4rem; text-align: center; font-size: .85rem; }
                  .cell span { display: block; font-size: .7rem; text-transform: uppercase; }
                  .passed { background: #e3f6e8; } .failed, .broken { background: #fde8e8; } .skipped { background: #eef0f4; }
                  @media print { body { margin: 0; } }
                </style></head>
                <body>
                <h1>Conformance certificate</h1>
                <p class="sub">Multi-tenant voice-AI clinic backend: contract v2 (identity, booking chain, smart answer, security)</p>
                <p class="verdict %s" id="verdict">%s: <span id="certified-count">%d/%d</span> scenarios passed</p>
                <table class="meta">
                <tr><td>Target</td><td id="target">%s</td></tr>
                <tr><td>Target version</td><td>%s</td></tr>
                <tr><td>Profile</td><td id="profile">%s</td></tr>
                <tr><td>Tokens</td><td id="tokens">%s</td></tr>
                <tr><td>E-mail confirmation</td><td id="email-confirmation">%s</td></tr>
                <tr><td>Date</td><td>%s</td></tr>
                <tr><td>Harness</td><td>%s</td></tr>
                %s
                </table>
                <div class="grid">%s</div>
                <h2>Latency budgets</h2>
                <table class="budgets"><tr><th>Path</th><th>Seed budget</th><th>Our budget (p99)</th><th>Measured p99</th></tr>%s</table>
                </body></html>
                """.formatted(verdict.equals("Certified") ? "ok" : "no", verdict, corePassed, core.size(),
                escape(summary.target().get("url")), escape(summary.target().get("version")),
                escape(summary.target().get("profile") + ": " + profileNote(summary.target().get("profile"))),
                escape(summary.target().getOrDefault("tokens", "not recorded")),
                escape(summary.target().getOrDefault("email_confirmation", "not recorded")),
                summary.startedAt().format(DateTimeFormatter.RFC_1123_DATE_TIME), escape(summary.harness().toString()),
                extended.isEmpty() ? "" : "<tr><td>Extended checks</td><td id=\"extended-count\">" + extendedPassed + "/"
                        + extended.size() + " passed</td></tr>", cells, budgets);
    }

    /** Contract §1 v2: a certificate under the seed's profile says plainly that Vapi ignores those answers. */
    static String profileNote(String profile) {
        return "vapi".equals(profile)
                ? "refusals answered with HTTP 200 and results[].error_code, as a real Vapi assistant reads them"
                : "refusals answered with HTTP statuses, as the seed guide's tests expect; a real Vapi assistant ignores "
                        + "every response but HTTP 200, so a caller would not hear these refusals";
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
