package clinic.conformance.runner.certify;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import clinic.conformance.fixtures.ConformanceExtension;
import clinic.conformance.fixtures.run.Run;
import clinic.conformance.fixtures.target.Target;
import clinic.conformance.runner.cli.CannotRun;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.platform.engine.support.store.Namespace;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

/**
 * One certification run: the scenarios against a {@link Run}'s target, then {@code summary.json}, JUnit XML and the
 * Allure report. The run reaches the checks through the launcher session's store ({@link ConformanceExtension}); what
 * they leave for the certificate comes back in its {@link clinic.conformance.fixtures.report.Evidence}.
 */
public final class Certification {
    static final String SCENARIO_PACKAGE = "clinic.conformance.scenarios";
    private final Run run;
    private final String version;
    private final Selection selection;
    private final boolean extended;
    private final Baseline baseline;
    private final boolean htmlReport;
    private final Function<String, List<String>> reproduce;
    private final Timings timings;

    private Certification(Run run, String version, Selection selection, boolean extended, Baseline baseline,
                          boolean htmlReport, Function<String, List<String>> reproduce, Timings timings) {
        this.run = run;
        this.version = version;
        this.selection = selection;
        this.extended = extended;
        this.baseline = baseline;
        this.htmlReport = htmlReport;
        this.reproduce = reproduce;
        this.timings = timings;
    }

    /** The core scenarios against {@code run}'s target, whose version is {@code version}, with the HTML report. */
    public static Certification of(Run run, String version) {
        return new Certification(run, version, Selection.ALL, false, Baseline.NONE, true, id -> List.of(), new Timings());
    }

    /** Only what {@code chosen} selects; the extended checks too where {@code withExtended}. */
    public Certification selecting(Selection chosen, boolean withExtended) {
        return new Certification(run, version, chosen, withExtended, baseline, htmlReport, reproduce, timings);
    }

    /** Known failures that do not fail the gate. */
    public Certification withBaseline(Baseline known) {
        return new Certification(run, version, selection, extended, known, htmlReport, reproduce, timings);
    }

    /** The raw results, summary and certificate, without the Allure HTML. */
    public Certification withoutHtmlReport() {
        return new Certification(run, version, selection, extended, baseline, false, reproduce, timings);
    }

    /** The lines printed under a failed check to see it again, given its ID (its last request follows them). */
    public Certification reproducingWith(Function<String, List<String>> lines) {
        return new Certification(run, version, selection, extended, baseline, htmlReport, lines, timings);
    }

    /** Where this run's wall time goes, phase by phase: each group of checks and the reports are added to it. */
    public Certification timedIn(Timings into) {
        return new Certification(run, version, selection, extended, baseline, htmlReport, reproduce, into);
    }

    /**
     * Runs the checks and writes the reports.
     *
     * @throws CannotRun when no check ran, or a check carries no catalogued ID
     */
    public Summary run(PrintStream out) {
        Target target = run.target();
        Path reports = run.options().reports();
        out.println("Certifying " + target.url() + " (" + target.description() + ")");
        prepare(reports);
        System.setProperty("allure.results.directory", run.options().allureResults().toString());
        OffsetDateTime startedAt = OffsetDateTime.now();
        var reproduced = new java.util.concurrent.ConcurrentHashMap<String, List<String>>();
        var lastRequest = run.evidence().lastRequest();
        var listener = new ScenarioListener(out, lastRequest::clear, id -> {
            var lines = new java.util.ArrayList<>(reproduce.apply(id));
            lastRequest.last().ifPresent(curl -> lines.add("Last request: " + curl.line()));
            reproduced.put(id, lines);
            return lines;
        }, timings::add);
        // the XML writer reports its own trouble here; it must not close the process's stderr
        var junitXmlLog = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        var request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage(SCENARIO_PACKAGE))
                .filters(TagFilter.excludeTags(extended ? "none()" : "extended"), selection.filter())
                .configurationParameter(ClassOrderer.DEFAULT_ORDER_PROPERTY_NAME, ScenarioOrder.class.getName())
                .configurationParameter(DisplayNameGenerator.DEFAULT_GENERATOR_PROPERTY_NAME,
                        CatalogueDisplayNames.class.getName())
                .build();
        try (LauncherSession session = LauncherFactory.openSession()) {
            session.getStore().put(Namespace.create(ConformanceExtension.NAMESPACE.getParts()), Run.class, run);
            session.getLauncher().execute(request, listener,
                    new LegacyXmlReportGeneratingListener(reports.resolve("junit"), junitXmlLog));
        }
        junitXmlLog.flush();
        withoutJvmProperties(reports.resolve("junit"));
        if (!listener.harnessErrors().isEmpty()) {
            throw new CannotRun(listener.harnessErrors().get(0) + (listener.harnessErrors().size() > 1
                    ? " (and " + (listener.harnessErrors().size() - 1) + " more)" : "") + "; the harness is broken");
        }
        if (listener.checksRun() == 0 && listener.results().isEmpty()) {
            throw new CannotRun("no check ran: the selection reached no check of this harness");
        }
        var unchecked = Catalogue.selected(selection, extended).stream().filter(scenario -> !scenario.family())
                .map(Catalogue.Scenario::id).filter(id -> !listener.results().containsKey(id)).toList();
        if (!unchecked.isEmpty()) {
            throw new CannotRun("selected scenarios have no check in this harness: " + unchecked
                    + "; the harness is broken");
        }
        var evidence = run.evidence();
        var targetInfo = new LinkedHashMap<String, String>();
        targetInfo.put("url", target.url().toString());
        targetInfo.put("version", version);
        targetInfo.put("profile", target.profile().label());
        targetInfo.put("tokens", evidence.tokensLine());
        targetInfo.put("email_confirmation", evidence.confirmationLine());
        targetInfo.put("vapi_credential", evidence.vapiCredentialLine(run.options().vapiAuth()));
        var summary = Summary.of(targetInfo, startedAt, listener.results(), extended, selection, baseline)
                .withWarnings(evidence.warnings());
        long reporting = System.nanoTime();
        writeReports(reports, summary, target, version, reproduced, out);
        timings.add("reports: summary, JUnit XML, certificate" + (htmlReport ? ", Allure HTML" : ""),
                java.time.Duration.ofNanos(System.nanoTime() - reporting));
        return summary;
    }

    private void writeReports(Path reports, Summary summary, Target target, String version,
                              Map<String, List<String>> reproduced, PrintStream out) {
        try {
            summary.write(reports.resolve("summary.json"));
            SummaryMarkdown.write(reports, summary, reproduced);
            var environment = new LinkedHashMap<String, String>();
            environment.put("Target URL", target.url().toString());
            environment.put("Target", target.description());
            environment.put("Target version", version);
            environment.put("Profile", target.profile().label());
            environment.put("Tokens", summary.target().get("tokens"));
            environment.put("E-mail confirmation", summary.target().get("email_confirmation"));
            environment.put("Database", target.database().redacted());
            environment.put("Harness version", summary.harness().version());
            environment.put("Harness commit", summary.harness().commit());
            environment.put("Database server", databaseVersion(target));
            AllureReport.writeEnvironment(reports.resolve("allure-results"), environment);
            AllureReport.writeCategories(reports.resolve("allure-results"));
            Certificate.write(reports, summary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (htmlReport) {
            AllureReport.generate(reports, out);
        }
    }

    private static String databaseVersion(Target target) {
        try (var connection = target.database().connect(); var statement = connection.createStatement();
             var rows = statement.executeQuery("select version()")) {
            rows.next();
            return rows.getString(1);
        } catch (java.sql.SQLException e) {
            return "unknown";
        }
    }

    /**
     * JUnit's XML lists every JVM property, the command line ({@code sun.java.command}) among them, and with it any
     * password in a {@code --db-url}: CI systems need none of them, so the block goes.
     */
    private static void withoutJvmProperties(Path junit) {
        try (Stream<Path> files = Files.list(junit)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".xml")).toList()) {
                String xml = Files.readString(file);
                Files.writeString(file, xml.replaceAll("(?s)<properties>.*?</properties>", "<properties/>"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void prepare(Path reports) {
        try {
            for (String generated : new String[] {"allure-results", "junit"}) {
                Path dir = reports.resolve(generated);
                if (Files.exists(dir)) {
                    try (Stream<Path> files = Files.walk(dir)) {
                        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                    }
                }
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new CannotRun("cannot write reports under " + reports + ": " + e.getMessage());
        }
    }
}
