package clinic.conformance.runner.budgets;

import clinic.conformance.fixtures.stub.GoogleCalendarMock;
import clinic.conformance.fixtures.stub.MockAdmin;
import clinic.conformance.fixtures.target.EmbeddedDefault;
import clinic.conformance.fixtures.target.Target;
import clinic.conformance.runner.certify.AllureReport;
import clinic.conformance.runner.cli.Distribution;
import clinic.conformance.runner.cli.Options;
import clinic.conformance.runner.doctor.Preflight;
import clinic.conformance.runner.load.LoadSeries;
import clinic.conformance.runner.load.Measured;
import clinic.conformance.scenarios.benchmarks.BaselineBenchmark;
import clinic.conformance.scenarios.benchmarks.BenchmarkTarget;
import clinic.conformance.scenarios.benchmarks.BookingBenchmark;
import clinic.conformance.scenarios.benchmarks.ConflictBenchmark;
import clinic.conformance.scenarios.benchmarks.SmartAnswerBenchmark;
import clinic.conformance.scenarios.benchmarks.VectorSearchBenchmark;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code budgets}: the JMH latency budgets of contract §4 against the embedded default or any target, each path as
 * absolute percentiles and as a ratio to a floor measured in the same run; scale curves; {@code reports/budgets.json}.
 */
public final class BudgetsCommand {
    private final Options options;
    private final PrintStream out;
    private final boolean quick;

    public BudgetsCommand(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.quick = options.flag("quick");
    }

    /** Generous: the booking path's p99 runs at about 3–6 × GET /health's on an idle or a busy machine alike. */
    static final double RATIO_LIMIT = 25;

    public int run() throws Exception {
        Path reports = options.reports();
        Files.createDirectories(reports);
        Optional<URI> url = options.targetUrl();
        if (url.isEmpty()) {
            EmbeddedDefault embedded = Distribution.embeddedDefault("budgets without --target-url");
            out.println("Starting the embedded default for the benchmarks…");
            // the Google/LLM mock in a process of its own, where production has Google: the server's CPU is the server's
            try (EmbeddedDefault.Running running = embedded.start(options.embeddedSettings().withMockInItsOwnProcess())) {
                return measure(running.target(), embedded, running.mockPid(), reports);
            }
        }
        return measure(Preflight.externalTarget(options, url.get()).target(), null, java.util.OptionalLong.empty(), reports);
    }

    /**
     * docs/profile.md: the booking path on a second embedded server that skips the in-response Google attempt
     * ({@code CALENDAR_SYNC_BUDGET_MS=0}, the outbox syncs it), measured in the same JVM, so the attempt's share of
     * the booking's time is a measured figure. Only the harness's own server can be started that way.
     */
    private Measured bookingWithoutInlineGoogle(EmbeddedDefault embedded) throws Exception {
        try (EmbeddedDefault.Running deferred = embedded.start(options.embeddedSettings().withoutInlineCalendarSync()
                .withMockInItsOwnProcess())) {
            var bench = BenchmarkTarget.prepare(deferred.target());
            try {
                return jmh(BookingBenchmark.class, "book", 1);
            } finally {
                bench.cleanUp();
            }
        }
    }

    /** @param embedded the embedded default when the target is ours (its database is ours too), else null */
    private int measure(Target target, EmbeddedDefault embedded, java.util.OptionalLong mockPid, Path reports)
            throws Exception {
        boolean ownDatabase = embedded != null;
        out.println("Measuring " + target.url() + (quick ? " (quick)" : " (full)"));
        var bench = BenchmarkTarget.prepare(target);
        if (options.flag("load-only")) {
            try {
                var load = LoadSeries.run(bench, target, quick, reports, options.loadClasspath(), mockPid, out);
                load.writeInto(reports);
                load.print(out);
                return 0;
            } finally {
                bench.cleanUp();
            }
        }
        var corpus = new CorpusLoader(bench, ownDatabase);
        try {
            var paths = new LinkedHashMap<String, Measured>();
            var baselines = new LinkedHashMap<String, Measured>();
            baselines.put("health", jmh(BaselineBenchmark.class, "healthOverHttp", 1));
            baselines.put("insert", jmh(BaselineBenchmark.class, "bareBookingInsert", 1));
            paths.put("booking", jmh(BookingBenchmark.class, "book", 1));
            paths.put("conflict", jmh(ConflictBenchmark.class, "conflict", 1));
            paths.put("calendar_sync", calendarSync(bench, target));
            paths.put("rag", jmh(SmartAnswerBenchmark.class, "smartAnswer", 1));

            var vectorBySize = new LinkedHashMap<Integer, Measured>();
            for (int size : quick ? List.of(10_000) : List.of(10_000, 100_000)) {
                corpus.growTo(size);
                vectorBySize.put(size, jmh(VectorSearchBenchmark.class, "filteredSearch", 1));
                baselines.put("pgvector_" + size, jmh(VectorSearchBenchmark.class, "barePgvectorQuery", 1));
            }
            int largest = vectorBySize.keySet().stream().max(Integer::compare).orElseThrow();
            paths.put("vector_search", vectorBySize.get(largest));
            baselines.put("pgvector", baselines.get("pgvector_" + largest));

            var scale = new LinkedHashMap<Integer, Measured>();
            for (int clients : quick ? List.of(1, 4, 16) : List.of(1, 4, 16, 64)) {
                scale.put(clients, jmh(BookingBenchmark.class, "book", clients));
            }
            if (ownDatabase) {
                baselines.put("booking_without_inline_google", bookingWithoutInlineGoogle(embedded));
            }
            var report = new BudgetsReport(paths, baselines, vectorBySize, scale, largest, quick);
            report.write(reports, target);
            report.print(out);
            // the load series: a load generator in its own process, beside the same-run floors (docs/profile.md)
            var load = LoadSeries.run(bench, target, quick, reports, options.loadClasspath(), mockPid, out);
            load.writeInto(reports);
            load.print(out);
            // the "Latency budgets" entry joins whatever results are there (a certification's, typically)
            AllureReport.generate(reports, out);
            out.println("Reports: " + reports.resolve("budgets.json") + ", " + reports.resolve("budgets-scale.svg") + ", "
                    + reports.resolve("budgets-load.svg") + ", "
                    + reports.resolve("budgets-vector.svg") + ", " + reports.resolve("allure-report/index.html"));
            return judge(report);
        } finally {
            corpus.cleanUp();
            bench.cleanUp();
        }
    }

    /**
     * {@code --judge seed} (the default): exit 1 over any seed budget, for users who gate on absolute times.
     * {@code --judge ratios}: exit 1 only where a path's p99 is over {@link #RATIO_LIMIT} times its same-run floor.
     */
    private int judge(BudgetsReport report) {
        if (options.get("judge").orElse("seed").equals("ratios")) {
            var over = report.overFloorRatio(RATIO_LIMIT);
            out.println(over.isEmpty() ? "Judged by ratios: every path within " + RATIO_LIMIT + " × its same-run floor."
                    : "OVER " + RATIO_LIMIT + " × THE SAME-RUN FLOOR: " + over);
            return over.isEmpty() ? 0 : 1;
        }
        return report.overSeedBudget().isEmpty() ? 0 : 1;
    }

    /** Booking → event seen at the Google mock: from when each benchmarked booking was sent to WireMock's log time. */
    private static Measured calendarSync(BenchmarkTarget bench, Target target) {
        if (target.mockUrl().isEmpty()) {
            return Measured.of(new double[0]);
        }
        URI mock = target.mockUrl().get();
        var firstSeen = new HashMap<String, Instant>();
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        for (var request : new GoogleCalendarMock(MockAdmin.at(mock)).inserts()) {
            try {
                String id = mapper.readTree(request.body()).path("id").asText();
                firstSeen.merge(id, request.loggedAt(), (a, b) -> a.isBefore(b) ? a : b);
            } catch (com.fasterxml.jackson.core.JsonProcessingException ignored) {
                // not an event this run sent
            }
        }
        return Measured.of(bench.bookingsSent().stream().filter(sent -> firstSeen.containsKey(sent.getKey()))
                .mapToDouble(sent -> (firstSeen.get(sent.getKey()).toEpochMilli() - sent.getValue().toEpochMilli()))
                .toArray());
    }

    private Measured jmh(Class<?> benchmark, String method, int threads) throws RunnerException {
        int iterations = quick ? 2 : 5;
        int seconds = quick ? 2 : 5;
        var options = new OptionsBuilder()
                .include(Pattern.quote(benchmark.getName()) + "\\." + method + "$")
                .forks(0)
                .threads(threads)
                .warmupIterations(1).warmupTime(TimeValue.seconds(quick ? 1 : 3))
                .measurementIterations(iterations).measurementTime(TimeValue.seconds(seconds))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        RunResult result = new Runner(options).runSingle();
        out.printf("  %-45s threads %-3d p99 %8.2f ms%n", benchmark.getSimpleName() + "." + method, threads,
                result.getPrimaryResult().getStatistics().getPercentile(99));
        return Measured.of(result.getPrimaryResult().getStatistics(), (double) iterations * seconds);
    }
}
