package clinic.conformance.runner.budgets;

import clinic.conformance.fixtures.target.Target;
import clinic.conformance.runner.load.Measured;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** {@code reports/budgets.json}, the plots, the Allure entry and the console table of one budgets run. */
public record BudgetsReport(Map<String, Measured> paths, Map<String, Measured> baselines, Map<Integer, Measured> vectorBySize,
                     Map<Integer, Measured> scale, int corpus, boolean quick) {

    /** Contract §4, in ms: path → {seed budget, our budget, its baseline}. */
    record Budget(String label, double seed, double ours, String baseline) {
    }

    static final Map<String, Budget> BUDGETS = new LinkedHashMap<>();

    static {
        BUDGETS.put("booking", new Budget("booking, full HTTP flow", 500, 15, "health"));
        BUDGETS.put("conflict", new Budget("conflict check (409 path)", 50, 10, "health"));
        BUDGETS.put("calendar_sync", new Budget("calendar sync (booking → event at Google mock)", 200, 50, "health"));
        BUDGETS.put("vector_search", new Budget("vector search, top-3, filtered by org", 100, 10, "pgvector"));
        BUDGETS.put("rag", new Budget("RAG pipeline, LLM mocked", 300, 40, "health"));
    }

    List<String> overSeedBudget() {
        var over = new ArrayList<String>();
        BUDGETS.forEach((path, budget) -> {
            Measured m = paths.get(path);
            if (m.samples() == 0 || !(m.p99() <= budget.seed())) {
                over.add(path);
            }
        });
        return over;
    }

    /**
     * The paths whose p99 is more than {@code limit} times their floor measured in the same run (or not measured):
     * what the project's own tests judge, since absolute times on a shared machine are noise (contract §4).
     */
    List<String> overFloorRatio(double limit) {
        var over = new ArrayList<String>();
        BUDGETS.keySet().forEach(path -> {
            if (paths.get(path).samples() == 0 || !(ratio(path) <= limit)) {
                over.add(path);
            }
        });
        return over;
    }

    private String verdict(String path) {
        Measured m = paths.get(path);
        Budget b = BUDGETS.get(path);
        if (m.samples() == 0) {
            return "not measured";
        }
        return m.p99() <= b.ours() ? "within our budget" : m.p99() <= b.seed() ? "within the seed budget, over ours"
                : "over the seed budget";
    }

    private double ratio(String path) {
        Measured base = baselines.get(BUDGETS.get(path).baseline());
        return base == null || base.p99() == 0 ? Double.NaN : paths.get(path).p99() / base.p99();
    }

    void write(Path reports, Target target) throws IOException {
        var json = new LinkedHashMap<String, Object>();
        json.put("target", target.url().toString());
        json.put("mode", quick ? "quick" : "full");
        json.put("measured_at", java.time.OffsetDateTime.now().withNano(0).toString());
        json.put("vector_corpus_chunks", corpus);
        var pathsJson = new LinkedHashMap<String, Object>();
        BUDGETS.forEach((path, budget) -> {
            Measured m = paths.get(path);
            var entry = distribution(m);
            entry.put("budget_ms", budget.seed());
            entry.put("our_budget_ms", budget.ours());
            entry.put("baseline", budget.baseline());
            entry.put("baseline_ratio", round(ratio(path)));
            entry.put("verdict", verdict(path));
            pathsJson.put(path, entry);
        });
        json.put("paths", pathsJson);
        var baselinesJson = new LinkedHashMap<String, Object>();
        baselines.forEach((name, m) -> baselinesJson.put(name, distribution(m)));
        json.put("baselines", baselinesJson);
        var scaleJson = new ArrayList<Map<String, Object>>();
        scale.forEach((clients, m) -> scaleJson.add(Map.of("clients", clients, "bookings_per_second", round(m.perSecond()),
                "p99_ms", round(m.p99()))));
        json.put("booking_scale", scaleJson);
        var vectorJson = new ArrayList<Map<String, Object>>();
        vectorBySize.forEach((size, m) -> vectorJson.add(Map.of("chunks", size, "p99_ms", round(m.p99()), "p50_ms", round(m.p50()))));
        json.put("vector_search_scale", vectorJson);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(reports.resolve("budgets.json").toFile(), json);
        Files.writeString(reports.resolve("budgets-scale.svg"), scaleSvg());
        Files.writeString(reports.resolve("budgets-vector.svg"), vectorSvg());
        allureEntry(reports);
    }

    void print(PrintStream out) {
        out.println();
        out.printf("%-48s %8s %8s %8s %8s %7s %8s %8s %9s  %s%n", "PATH", "p50", "p95", "p99", "max", "n", "budget",
                "ours", "x floor", "VERDICT");
        BUDGETS.forEach((path, budget) -> {
            Measured m = paths.get(path);
            out.printf(Locale.ROOT, "%-48s %8.2f %8.2f %8.2f %8.2f %7d %8.0f %8.0f %9.2f  %s%n", budget.label(), m.p50(), m.p95(),
                    m.p99(), m.max(), m.samples(), budget.seed(), budget.ours(), ratio(path), verdict(path));
        });
        scale.forEach((clients, m) -> out.printf(Locale.ROOT, "booking with %2d clients: %7.1f bookings/s, p99 %.2f ms%n",
                clients, m.perSecond(), m.p99()));
        vectorBySize.forEach((size, m) -> out.printf(Locale.ROOT, "vector search over %,d chunks: p99 %.2f ms%n", size, m.p99()));
        Measured deferred = baselines.get("booking_without_inline_google");
        if (deferred != null) {
            out.printf(Locale.ROOT, "booking without the in-response Google attempt (CALENDAR_SYNC_BUDGET_MS=0): "
                    + "p50 %.2f ms, p99 %.2f ms%n", deferred.p50(), deferred.p99());
        }
        for (String path : BUDGETS.keySet()) {
            if (verdict(path).equals("within the seed budget, over ours")) {
                out.println("WARNING: " + BUDGETS.get(path).label() + " is over our budget of " + BUDGETS.get(path).ours() + " ms");
            }
        }
        var over = overSeedBudget();
        out.println(over.isEmpty() ? "All five paths within the seed budgets." : "OVER THE SEED BUDGET: " + over);
    }

    private static LinkedHashMap<String, Object> distribution(Measured m) {
        var entry = new LinkedHashMap<String, Object>();
        entry.put("p50_ms", round(m.p50()));
        entry.put("p95_ms", round(m.p95()));
        entry.put("p99_ms", round(m.p99()));
        entry.put("max_ms", round(m.max()));
        entry.put("samples", m.samples());
        return entry;
    }

    private static Object round(double value) {
        return Double.isNaN(value) ? null : Math.round(value * 1000) / 1000.0;
    }

    private String scaleSvg() {
        double maxRate = scale.values().stream().mapToDouble(Measured::perSecond).max().orElse(1) * 1.1;
        double maxP99 = scale.values().stream().mapToDouble(Measured::p99).max().orElse(1) * 1.1;
        var svg = new StringBuilder(header("Booking under load: throughput (bars) and p99 (line) by concurrent clients"));
        int i = 0;
        var line = new StringBuilder();
        for (var entry : scale.entrySet()) {
            double x = 80 + i * 120;
            double h = 220 * entry.getValue().perSecond() / maxRate;
            double y = 260 - 220 * entry.getValue().p99() / maxP99;
            svg.append(String.format(Locale.ROOT, "<rect x='%.0f' y='%.1f' width='50' height='%.1f' fill='#74c0fc'/>", x, 260 - h, h))
                    .append(String.format(Locale.ROOT, "<text x='%.0f' y='280'>%d clients</text>", x - 5, entry.getKey()))
                    .append(String.format(Locale.ROOT, "<text x='%.0f' y='%.1f' font-size='11'>%.0f/s</text>", x, 255 - h, entry.getValue().perSecond()))
                    .append(String.format(Locale.ROOT, "<circle cx='%.0f' cy='%.1f' r='4' fill='#e8590c'/><text x='%.0f' y='%.1f' font-size='11' fill='#e8590c'>p99 %.1f ms</text>",
                            x + 25, y, x + 32, y - 6, entry.getValue().p99()));
            line.append(line.length() == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.0f %.1f ", x + 25, y));
            i++;
        }
        return svg.append("<path d='").append(line).append("' stroke='#e8590c' fill='none'/></svg>").toString();
    }

    private String vectorSvg() {
        double max = vectorBySize.values().stream().mapToDouble(Measured::p99).max().orElse(1) * 1.2;
        var svg = new StringBuilder(header("Vector search p99 (top-3, filtered by org) by corpus size"));
        int i = 0;
        for (var entry : vectorBySize.entrySet()) {
            double x = 80 + i * 160;
            double h = 220 * entry.getValue().p99() / max;
            svg.append(String.format(Locale.ROOT, "<rect x='%.0f' y='%.1f' width='70' height='%.1f' fill='#8ce99a'/>", x, 260 - h, h))
                    .append(String.format(Locale.ROOT, "<text x='%.0f' y='280'>%,d chunks</text>", x - 5, entry.getKey()))
                    .append(String.format(Locale.ROOT, "<text x='%.0f' y='%.1f'>%.2f ms</text>", x, 255 - h, entry.getValue().p99()));
            i++;
        }
        return svg.append("</svg>").toString();
    }

    private static String header(String title) {
        return "<svg xmlns='http://www.w3.org/2000/svg' width='600' height='300' font-family='sans-serif' font-size='13'>"
                + "<text x='10' y='20' font-weight='bold'>" + title + "</text><line x1='60' y1='260' x2='590' y2='260' stroke='#868e96'/>";
    }

    /** One Allure result, "Latency budgets", with the table and the plots attached. */
    private void allureEntry(Path reports) throws IOException {
        Path results = reports.resolve("allure-results");
        Files.createDirectories(results);
        String id = UUID.randomUUID().toString();
        var table = new StringBuilder("<table border='1' cellpadding='4'><tr><th>path</th><th>p50</th><th>p95</th><th>p99</th>"
                + "<th>max</th><th>n</th><th>seed budget</th><th>our budget</th><th>x baseline</th><th>verdict</th></tr>");
        BUDGETS.forEach((path, b) -> {
            Measured m = paths.get(path);
            table.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%d</td>"
                    + "<td>%.0f</td><td>%.0f</td><td>%.2f</td><td>%s</td></tr>", b.label(), m.p50(), m.p95(), m.p99(), m.max(),
                    m.samples(), b.seed(), b.ours(), ratio(path), verdict(path)));
        });
        Files.writeString(results.resolve(id + "-table-attachment.html"), table.append("</table>").toString());
        Files.copy(reports.resolve("budgets-scale.svg"), results.resolve(id + "-scale-attachment.svg"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(reports.resolve("budgets-vector.svg"), results.resolve(id + "-vector-attachment.svg"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        long now = System.currentTimeMillis();
        var result = new LinkedHashMap<String, Object>();
        result.put("uuid", id);
        result.put("historyId", "latency-budgets");
        result.put("name", "Latency budgets (" + (quick ? "quick" : "full") + ")");
        result.put("fullName", "clinic.conformance.budgets");
        result.put("status", overSeedBudget().isEmpty() ? "passed" : "failed");
        result.put("stage", "finished");
        result.put("start", now);
        result.put("stop", now);
        result.put("labels", List.of(Map.of("name", "epic", "value", "Budgets"), Map.of("name", "suite", "value", "Latency budgets")));
        result.put("attachments", List.of(
                Map.of("name", "Budgets table", "source", id + "-table-attachment.html", "type", "text/html"),
                Map.of("name", "Booking scale", "source", id + "-scale-attachment.svg", "type", "image/svg+xml"),
                Map.of("name", "Vector search by corpus size", "source", id + "-vector-attachment.svg", "type", "image/svg+xml")));
        new ObjectMapper().writeValue(results.resolve(id + "-result.json").toFile(), result);
    }
}
