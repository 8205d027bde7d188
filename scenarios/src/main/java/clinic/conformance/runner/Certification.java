package clinic.conformance.runner;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import clinic.conformance.fixtures.report.TokenSource;
import clinic.conformance.fixtures.report.Warnings;
import clinic.conformance.fixtures.target.Target;
import clinic.conformance.fixtures.target.TargetSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
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
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

/** One certification run: the scenarios against a target, then {@code summary.json}, JUnit XML and the Allure report. */
public final class Certification {
    static final String SCENARIO_PACKAGE = "clinic.conformance.scenarios";
    /** {@code -Dconformance.report.html=false} skips the Allure HTML (the raw results, summary and certificate remain). */
    public static final String HTML_REPORT_PROPERTY = "conformance.report.html";

    private Certification() {
    }

    public static Summary run(Target target, String version, Path reports, boolean extended, PrintStream out) {
        return run(target, version, reports, extended, Selection.ALL, out);
    }

    public static Summary run(Target target, String version, Path reports, boolean extended, Selection selection,
                              PrintStream out) {
        return run(target, version, reports, extended, selection, Baseline.NONE, out);
    }

    public static Summary run(Target target, String version, Path reports, boolean extended, Selection selection,
                              Baseline baseline, PrintStream out) {
        return run(target, version, reports, extended, selection, baseline, out, id -> List.of());
    }

    /**
     * @param reproduce the lines printed under a failed check to see it again, given its ID
     * @throws Harness.CannotRun when no check ran, or a check carries no catalogued ID
     */
    static Summary run(Target target, String version, Path reports, boolean extended, Selection selection,
                       Baseline baseline, PrintStream out, Function<String, List<String>> reproduce) {
        out.println("Certifying " + target.url() + " (" + target.description() + ")");
        prepare(reports);
        System.setProperty("allure.results.directory", reports.resolve("allure-results").toString());
        OffsetDateTime startedAt = OffsetDateTime.now();
        var reproduced = new java.util.concurrent.ConcurrentHashMap<String, List<String>>();
        var listener = new ScenarioListener(out, id -> {
            var lines = reproduce.apply(id);
            reproduced.put(id, lines);
            return lines;
        });
        // the XML writer reports its own trouble here; it must not close the process's stderr
        var junitXmlLog = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        var parameters = targetParameters(target);
        parameters.put(ClassOrderer.DEFAULT_ORDER_PROPERTY_NAME, ScenarioOrder.class.getName());
        var request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage(SCENARIO_PACKAGE))
                .filters(TagFilter.excludeTags(extended ? "none()" : "extended"), selection.filter())
                .configurationParameters(parameters)
                .build();
        LauncherFactory.create().execute(request, listener,
                new LegacyXmlReportGeneratingListener(reports.resolve("junit"), junitXmlLog));
        junitXmlLog.flush();
        withoutJvmProperties(reports.resolve("junit"));
        if (!listener.harnessErrors().isEmpty()) {
            throw new Harness.CannotRun(listener.harnessErrors().get(0) + (listener.harnessErrors().size() > 1
                    ? " (and " + (listener.harnessErrors().size() - 1) + " more)" : "") + "; the harness is broken");
        }
        if (listener.checksRun() == 0 && listener.results().isEmpty()) {
            throw new Harness.CannotRun("no check ran: the selection reached no check of this harness");
        }
        var unchecked = Catalogue.selected(selection, extended).stream().filter(scenario -> !scenario.family())
                .map(Catalogue.Scenario::id).filter(id -> !listener.results().containsKey(id)).toList();
        if (!unchecked.isEmpty()) {
            throw new Harness.CannotRun("selected scenarios have no check in this harness: " + unchecked
                    + "; the harness is broken");
        }
        var targetInfo = new LinkedHashMap<String, String>();
        targetInfo.put("url", target.url().toString());
        targetInfo.put("version", version);
        targetInfo.put("profile", target.profile().label());
        targetInfo.put("tokens", TokenSource.drain().orElse("no member's token was used"));
        targetInfo.put("email_confirmation", clinic.conformance.fixtures.report.SignUpConfirmations.drainReport());
        targetInfo.put("vapi_credential", clinic.conformance.fixtures.vapi.VapiCredentialKind.drainReport());
        var summary = Summary.of(targetInfo, startedAt, listener.results(), extended, selection, baseline)
                .withWarnings(Warnings.drain());
        writeReports(reports, summary, target, version, reproduced, out);
        return summary;
    }

    private static LinkedHashMap<String, String> targetParameters(Target target) {
        var parameters = new LinkedHashMap<String, String>();
        parameters.put(TargetSettings.TARGET_URL, target.url().toString());
        parameters.put(TargetSettings.DB_URL, target.database().jdbcUrl());
        parameters.put(TargetSettings.AUTH_URL, target.auth().authUrl().toString());
        target.auth().serviceKey().ifPresent(key -> parameters.put(TargetSettings.SERVICE_KEY, key));
        target.auth().anonKey().ifPresent(key -> parameters.put(TargetSettings.ANON_KEY, key));
        target.auth().signingKey().ifPresent(key -> parameters.put(TargetSettings.SIGNING_KEY, key));
        target.auth().jwtSecret().ifPresent(secret -> parameters.put(TargetSettings.JWT_SECRET, secret));
        parameters.put(TargetSettings.PROFILE, target.profile().label());
        target.mockUrl().ifPresent(mock -> parameters.put(TargetSettings.MOCK_URL, mock.toString()));
        return parameters;
    }

    private static void writeReports(Path reports, Summary summary, Target target, String version,
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
        if (!"false".equals(System.getProperty(HTML_REPORT_PROPERTY))) {
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
            throw new Harness.CannotRun("cannot write reports under " + reports + ": " + e.getMessage());
        }
    }
}
