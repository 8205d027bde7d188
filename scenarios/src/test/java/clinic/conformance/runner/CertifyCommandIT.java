package clinic.conformance.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("./harness certify, as a process: embedded default, an external target, and bad configurations")
class CertifyCommandIT {
    private static final String[] CERTIFIED = {"S1.1", "S1.2", "S1.3", "S1.4",
            "S2.1", "S2.2", "S2.3", "S2.4", "S2.5", "S2.6", "S2.7", "S2.8", "S3.1", "S3.2", "S3.3", "S3.4", "S3.5",
            "S4.1", "S4.2", "S4.3", "S4.4", "S4.5", "S4.6"};

    private static JsonNode summary(Path reports) throws Exception {
        return new ObjectMapper().readTree(reports.resolve("summary.json").toFile());
    }

    private static String status(JsonNode summary, String id) {
        for (JsonNode scenario : summary.get("scenarios")) {
            if (scenario.get("id").asText().equals(id)) {
                return scenario.get("status").asText();
            }
        }
        return "absent";
    }

    @Test
    void theEmbeddedDefaultPassesEveryScenarioAndWritesEveryReport() throws Exception {
        Path reports = Files.createTempDirectory("reports-embedded");

        var run = HarnessProcess.run(Map.of(), "certify", "--extended", "--reports", reports.toString());

        assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
        var summary = summary(reports);
        for (String id : CERTIFIED) {
            assertThat(status(summary, id)).as("%s in summary.json", id).isEqualTo("passed");
        }
        assertThat(summary.get("failed").asInt()).isZero();
        long extended = 0;
        for (JsonNode scenario : summary.get("scenarios")) {
            if (scenario.get("id").asText().startsWith("X")) {
                extended++;
                assertThat(scenario.get("status").asText()).as("%s (--extended)", scenario.get("id").asText()).isEqualTo("passed");
            }
        }
        assertThat(extended).as("X-series checks in summary.json").isGreaterThanOrEqualTo(40);
        assertThat(summary.get("passed").asInt()).as("23 certified scenarios and the X-series").isEqualTo(23 + (int) extended);
        assertThat(reports.resolve("allure-report/index.html")).isNotEmptyFile();
        assertThat(reports.resolve("junit/TEST-junit-jupiter.xml")).isNotEmptyFile();
        assertThat(Files.list(reports.resolve("allure-results")).count()).as("allure results").isGreaterThan(8);
        assertThat(run.output()).as("console: one line per check, then the table").contains("[1/").contains("S2.5");
        theReportsRenderInChromiumWithTheRightCounts(reports, summary);
    }

    /** Issue 6: the certificate and the Allure report open in headless Chromium and show the right counts. */
    private static void theReportsRenderInChromiumWithTheRightCounts(Path reports, JsonNode summary) throws Exception {
        Path kept = Path.of("..", "reports").toAbsolutePath().normalize();
        Files.createDirectories(kept);
        Chromium.screenshot(reports.resolve("certificate.html"), kept.resolve("certificate.png"), 1280, 1400);
        Chromium.screenshot(reports.resolve("allure-report/index.html"), kept.resolve("allure-report.png"), 1400, 1000);
        assertThat(kept.resolve("certificate.png")).isNotEmptyFile();
        assertThat(kept.resolve("allure-report.png")).isNotEmptyFile();

        String certificate = Chromium.dom(reports.resolve("certificate.html"));
        assertThat(certificate).as("the certificate's verdict").contains("Certified: <span id=\"certified-count\">23/23</span>");
        long extended = 0;
        for (JsonNode scenario : summary.get("scenarios")) {
            extended += scenario.get("id").asText().startsWith("X") ? 1 : 0;
        }
        assertThat(certificate).as("the certificate's extended count").contains(extended + "/" + extended + " passed");

        long checks;
        try (var files = Files.list(reports.resolve("allure-results"))) {
            checks = files.filter(f -> f.getFileName().toString().endsWith("-result.json")).count();
        }
        String allure = Chromium.dom(reports.resolve("allure-report/index.html"));
        assertThat(allure).as("Allure's overview counts every check of the run")
                .contains("class=\"splash__title\">" + checks + "</div>");
        assertThat(allure).as("Allure's overview shows the environment").contains("Harness commit");
    }

    @Test
    void aSeparatelyStartedReferenceServerIsCertifiedByUrl() throws Exception {
        String secret = "it-secret-" + java.util.UUID.randomUUID() + "-long-enough";
        Process serve = HarnessProcess.builder(Map.of("JWT_SECRET", secret), "serve", "--port", "0")
                .redirectErrorStream(true).start();
        try {
            var printed = HarnessProcess.awaitLines(serve, "reference server:", "database:", "mock (Google Calendar, LLM):",
                    "jwt secret:");
            assertThat(printed).as("what serve prints").hasSize(4);
            assertThat(printed.get("jwt secret:")).as("serve says where the secret came from, never the secret")
                    .contains("JWT_SECRET").doesNotContain(secret);
            String url = printed.get("reference server:");
            String db = printed.get("database:").replaceAll(" \\(.*\\)$", "");
            String mock = printed.get("mock (Google Calendar, LLM):");
            Path withMock = Files.createTempDirectory("reports-external");
            Path withoutMock = Files.createTempDirectory("reports-external-nomock");

            var full = HarnessProcess.run(Map.of("CONFORMANCE_JWT_SECRET", secret), "certify", "--target-url", url,
                    "--db-url", db, "--mock-url", mock, "--reports", withMock.toString());
            var noMock = HarnessProcess.run(Map.of("CONFORMANCE_JWT_SECRET", secret), "certify", "--target-url", url,
                    "--db-url", db, "--only", "S2,S3.5", "--reports", withoutMock.toString());

            assertThat(full.exitCode()).as("exit code with the mock; output:%n%s", full.output()).isZero();
            for (String id : CERTIFIED) {
                assertThat(status(summary(withMock), id)).as("%s against the external target", id).isEqualTo("passed");
            }
            assertThat(full.output()).doesNotContain(secret);
            assertThat(Files.readString(withMock.resolve("summary.json"))).doesNotContain(secret);
            assertThat(noMock.exitCode()).as("exit code without a mock; output:%n%s", noMock.output()).isZero();
            assertThat(status(summary(withoutMock), "S2.1")).as("S2.1 needs the mock's journal").isEqualTo("skipped");
            assertThat(status(summary(withoutMock), "S3.5")).as("S3.5 needs the LLM mock's journal").isEqualTo("skipped");
            assertThat(status(summary(withoutMock), "S2.2")).isEqualTo("passed");
            assertThat(status(summary(withoutMock), "S1.1")).as("not selected").isEqualTo("skipped");
        } finally {
            serve.destroy();
            serve.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void badConfigurationsStopWithinSecondsWithExitTwoAndOneSentence() throws Exception {
        long start = System.nanoTime();
        var down = HarnessProcess.run(Map.of("CONFORMANCE_JWT_SECRET", "x".repeat(40)), "certify",
                "--target-url", "http://127.0.0.1:9", "--db-url", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        var noSecret = HarnessProcess.run(Map.of(), "certify", "--target-url", "http://127.0.0.1:9", "--db-url", "x");
        var badDb = HarnessProcess.run(Map.of("CONFORMANCE_JWT_SECRET", "x".repeat(40)), "certify",
                "--target-url", "http://127.0.0.1:9", "--db-url", "jdbc:postgresql://127.0.0.1:1/none");
        var unknown = HarnessProcess.run(Map.of(), "certify", "--no-such-flag", "1");

        for (var run : new HarnessProcess[] {down, noSecret, badDb, unknown}) {
            assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isEqualTo(2);
            assertThat(run.output()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception in thread");
        }
        assertThat(down.output()).contains("does not answer");
        assertThat(noSecret.output()).contains("CONFORMANCE_JWT_SECRET");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("four refusals").isLessThan(Duration.ofSeconds(60));
    }
}
