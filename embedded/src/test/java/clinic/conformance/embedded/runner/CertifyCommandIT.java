package clinic.conformance.embedded.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private static String message(JsonNode summary, String id) {
        for (JsonNode scenario : summary.get("scenarios")) {
            if (scenario.get("id").asText().equals(id)) {
                return scenario.path("message").asText("");
            }
        }
        return "absent";
    }

    /** Local PostgreSQL trusts loopback, so any password connects: a known one to look for in every output. */
    private static final String DB_PASSWORD = "Known-Db-Pa55word-" + java.util.UUID.randomUUID();
    private static final String DB_SERVER = "postgresql://postgres:" + DB_PASSWORD + "@127.0.0.1:5432/postgres";

    @Test
    void theEmbeddedDefaultPassesEveryScenarioAndWritesEveryReport() throws Exception {
        Path reports = Files.createTempDirectory("reports-embedded");

        var run = HarnessProcess.run(Map.of(), "certify", "--extended", "--reports", reports.toString(),
                "--db-url", DB_SERVER, "--timings");

        assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
        assertThat(HarnessProcess.everythingWritten(reports, run.output())).as("the database password, anywhere in the output or reports")
                .doesNotContain(DB_PASSWORD);
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
        // V1.2-V2.2, P1, P2 and P3 hold under both profiles; V1.1 is about the vapi profile and is skipped under seed,
        // V3 is about an HMAC credential (--vapi-auth hmac) and is skipped under members' tokens
        assertThat(summary.get("passed").asInt()).as("23 certified scenarios, the X-series, V1.2-V2.2, P1, P2 and P3")
                .isEqualTo(23 + (int) extended + 7 + 9 + 4 + 4);
        assertThat(status(summary, "V3.1")).as("V3 needs --vapi-auth hmac").isEqualTo("skipped");
        assertThat(reports.resolve("allure-report/index.html")).isNotEmptyFile();
        assertThat(reports.resolve("junit/TEST-junit-jupiter.xml")).isNotEmptyFile();
        assertThat(Files.list(reports.resolve("allure-results")).count()).as("allure results").isGreaterThan(8);
        assertThat(run.output()).as("console: one line per check, then the table").contains("[1/").contains("S2.5");
        assertThat(run.output().substring(run.output().indexOf("Gate: "))).as("--timings: the phases after the table")
                .contains("Timings (wall time, s):").contains("embedded default: start")
                .contains("database: a fresh one, migrated").contains("preflight").contains("checks: S2 Live booking chain")
                .contains("checks: X6 Booking history").contains("reports: summary, JUnit XML, certificate, Allure HTML")
                .containsPattern("\\d+\\.\\d  total of the phases");
        assertThat(summary.get("target").get("profile").asText()).isEqualTo("seed");
        assertThat(status(summary, "V1.1")).as("V1.1 is about the vapi profile").isEqualTo("skipped");
        assertThat(Files.readString(reports.resolve("certificate.html"))).as("under seed, the certificate says Vapi ignores it")
                .contains("a real Vapi assistant ignores every response but HTTP 200");
        assertThat(Files.readString(reports.resolve("certificate.html"))).as("the certificate names the tokens it certified on")
                .contains("id=\"tokens\">ES256 tokens from the target's password grant");
        theReportsRenderInChromiumWithTheRightCounts(reports, summary);
    }

    @Test
    void aLegacyHs256ProjectIsCertifiedTooAndTheCertificateSaysSo() throws Exception {
        Path reports = Files.createTempDirectory("reports-legacy");

        var run = HarnessProcess.run(Map.of(), "certify", "--signing", "hs256", "--extended", "--only", "S1,S2,S4,X1,P1.6",
                "--reports", reports.toString());

        assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
        var summary = summary(reports);
        assertThat(summary.get("target").get("tokens").asText()).isEqualTo("HS256 tokens from the target's password grant");
        for (String id : new String[] {"S1.2", "S2.1", "S4.5", "X1.24", "X1.27", "X1.29", "X1.30", "P1.6"}) {
            assertThat(status(summary, id)).as("%s on a legacy project", id).isEqualTo("passed");
        }
        assertThat(status(summary, "X1.26")).as("no public key to confuse on a legacy project").isEqualTo("skipped");
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
        long skipped = 0;
        for (JsonNode scenario : summary.get("scenarios")) {
            boolean extendedId = scenario.get("id").asText().matches("[XVP].*");
            extended += extendedId ? 1 : 0;
            skipped += extendedId && scenario.get("status").asText().equals("skipped") ? 1 : 0;
        }
        assertThat(skipped).as("V1.1 (about the vapi profile) and V3.1-V3.5 (about an HMAC credential) skipped").isEqualTo(6);
        assertThat(certificate).as("the certificate's extended count: all but those")
                .contains((extended - skipped) + "/" + extended + " passed");

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
        Process serve = HarnessProcess.builder(Map.of("JWT_SECRET", secret), "serve", "--port", "0", "--db-url", DB_SERVER)
                .redirectErrorStream(true).start();
        try {
            var printed = HarnessProcess.awaitLines(serve, "reference server:", "database:", "mock (Google Calendar, LLM):",
                    "signing key:", "API keys:", "legacy HS256 secret:");
            assertThat(printed).as("what serve prints").hasSize(6);
            // the gateway before /auth/v1 wants one of the project's keys: the legacy anon key a browser carries
            String anonKey = HarnessProcess.apiKeysFile(printed.get("API keys:")).get("CONFORMANCE_ANON_KEY");
            assertThat(printed.get("signing key:")).as("serve signs ES256 with a key of its own").startsWith("ES256, generated");
            assertThat(printed.get("legacy HS256 secret:")).as("serve says where the secret came from, never the secret")
                    .contains("JWT_SECRET").doesNotContain(secret);
            assertThat(String.join("\n", printed.values())).as("serve's output").doesNotContain(DB_PASSWORD);
            String url = printed.get("reference server:");
            String db = printed.get("database:").replaceAll(" \\(.*\\)$", "").replace("***", DB_PASSWORD);
            String mock = printed.get("mock (Google Calendar, LLM):");
            Path withMock = Files.createTempDirectory("reports-external");
            Path withoutMock = Files.createTempDirectory("reports-external-nomock");
            Path withoutKeys = Files.createTempDirectory("reports-external-nokeys");

            Map<String, Long> before = rowCounts(db);
            // the runner alone, as a CI gate takes it: no reference server, no model on its class path
            var full = HarnessProcess.runRunnerOnly(Map.of("CONFORMANCE_JWT_SECRET", secret,
                    "CONFORMANCE_ANON_KEY", anonKey), "certify", "--target-url", url,
                    "--db-url", db, "--mock-url", mock, "--reports", withMock.toString());
            var noMock = HarnessProcess.runRunnerOnly(Map.of("CONFORMANCE_JWT_SECRET", secret, "CONFORMANCE_DB_URL", db,
                    "CONFORMANCE_ANON_KEY", anonKey),
                    "certify", "--target-url", url, "--only", "S2,S3.5", "--reports", withoutMock.toString());
            // no service key, no signing key, no secret (the anon key only): what needs a member's token is skipped
            var noKeys = HarnessProcess.runRunnerOnly(Map.of("CONFORMANCE_DB_URL", db, "CONFORMANCE_ANON_KEY", anonKey), "certify", "--target-url", url,
                    "--mock-url", mock, "--extended", "--only", "S1,S2.2,S4,X1.24", "--reports", withoutKeys.toString());

            assertThat(full.exitCode()).as("exit code with the mock; output:%n%s", full.output()).isZero();
            for (String id : CERTIFIED) {
                assertThat(status(summary(withMock), id)).as("%s against the external target", id).isEqualTo("passed");
            }
            for (String written : new String[] {HarnessProcess.everythingWritten(withMock, full.output()),
                    HarnessProcess.everythingWritten(withoutMock, noMock.output())}) {
                assertThat(written).as("the JWT secret and the database password, anywhere in output or reports")
                        .doesNotContain(secret).doesNotContain(DB_PASSWORD);
            }
            assertThat(full.output()).as("the runner alone carries no library noise").doesNotContain("WARN").doesNotContain("SLF4J");
            assertThat(rowCounts(db)).as("rows in the target's database after two certifications: nothing the "
                    + "harness created remains").isEqualTo(before);
            assertThat(summary(withMock).get("warnings")).as("no cleanup warning").isEmpty();
            assertThat(noMock.exitCode()).as("exit code without a mock; output:%n%s", noMock.output()).isZero();
            assertThat(status(summary(withoutMock), "S2.1")).as("S2.1 needs the mock's journal").isEqualTo("skipped");
            assertThat(status(summary(withoutMock), "S3.5")).as("S3.5 needs the LLM mock's journal").isEqualTo("skipped");
            assertThat(status(summary(withoutMock), "S2.2")).isEqualTo("passed");
            assertThat(status(summary(withoutMock), "S1.1")).as("not selected").isEqualTo("skipped");
            assertThat(noKeys.exitCode()).as("exit code without any key; output:%n%s", noKeys.output()).isZero();
            for (String id : new String[] {"S1.1", "S1.2", "S1.3", "S4.1", "S4.2", "X1.24"}) {
                assertThat(status(summary(withoutKeys), id)).as("%s needs no key of the target's", id).isEqualTo("passed");
            }
            assertThat(status(summary(withoutKeys), "S2.2")).as("S2.2 needs a member's token").isEqualTo("skipped");
            assertThat(message(summary(withoutKeys), "S2.2")).as("the reason").contains("CONFORMANCE_JWT_SIGNING_KEY");
        } finally {
            serve.destroy();
            serve.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** How many rows each table the harness writes holds in the target's database. */
    private static Map<String, Long> rowCounts(String jdbcUrl) throws Exception {
        var counts = new java.util.TreeMap<String, Long>();
        try (var connection = clinic.conformance.fixtures.database.DatabaseUrl.parse(jdbcUrl).connect();
             var statement = connection.createStatement()) {
            for (String table : new String[] {"auth.users", "public.organizations", "public.profiles",
                    "public.appointments", "public.calendar_events", "public.knowledge_base", "public.audit_log"}) {
                try (var rows = statement.executeQuery("select count(*) from " + table)) {
                    rows.next();
                    counts.put(table, rows.getLong(1));
                }
            }
        }
        return counts;
    }

    @Test
    void badConfigurationsStopWithinSecondsWithExitTwoAndOneSentence() throws Exception {
        var down = HarnessProcess.run(Map.of("CONFORMANCE_JWT_SECRET", "x".repeat(40)), "certify",
                "--target-url", "http://127.0.0.1:9", "--db-url", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        var badKey = HarnessProcess.run(Map.of("CONFORMANCE_JWT_SIGNING_KEY", "{\"kty\":\"oct\"}"), "certify",
                "--target-url", "http://127.0.0.1:9", "--db-url", "jdbc:postgresql://127.0.0.1:1/none");
        var badDb = HarnessProcess.run(Map.of("CONFORMANCE_JWT_SECRET", "x".repeat(40)), "certify",
                "--target-url", "http://127.0.0.1:9", "--db-url", "jdbc:postgresql://127.0.0.1:1/none");
        var unknown = HarnessProcess.run(Map.of(), "certify", "--no-such-flag", "1");
        var nothingSelected = HarnessProcess.run(Map.of(), "certify", "--only", "S9");
        var malformedUrl = HarnessProcess.run(Map.of(), "certify", "--target-url", "http//no-scheme", "--db-url", "x");
        var missingBaseline = HarnessProcess.run(Map.of(), "certify", "--baseline", "/no/such/baseline");
        var noEmbedded = HarnessProcess.runRunnerOnly(Map.of(), "certify");

        for (var run : new HarnessProcess[] {down, badKey, badDb, unknown, nothingSelected, malformedUrl,
                missingBaseline, noEmbedded}) {
            assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isEqualTo(2);
            assertThat(run.output()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception in thread");
            assertThat(run.output()).as("never a pass").doesNotContain("Gate: PASSED").doesNotContain("Running ");
            assertThat(run.output().strip().lines().filter(line -> line.startsWith("harness: ")).count())
                    .as("one sentence saying why; output:%n%s", run.output()).isEqualTo(1);
        }
        assertThat(nothingSelected.output()).contains("select no scenario");
        assertThat(malformedUrl.output()).contains("--target-url");
        assertThat(missingBaseline.output()).contains("/no/such/baseline");
        assertThat(noEmbedded.output()).contains("--target-url");
        assertThat(down.output()).contains("does not answer");
        assertThat(badKey.output()).contains("CONFORMANCE_JWT_SIGNING_KEY");
    }

    @Test
    void theRunnerDistributionCarriesNoServerAndStaysUnderSixtyMegabytes() throws Exception {
        Path runner = HarnessProcess.RUNNER_JAR.getParent();
        long bytes = 0;
        var names = new java.util.ArrayList<String>();
        for (Path part : new Path[] {HarnessProcess.RUNNER_JAR, runner.resolve("lib"), runner.resolve("allure")}) {
            try (var files = Files.walk(part)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    bytes += Files.size(file);
                    names.add(file.getFileName().toString());
                }
            }
        }
        assertThat(bytes).as("conformance.jar + lib/ + allure/, bytes").isLessThanOrEqualTo(60L * 1024 * 1024);
        assertThat(names).as("the runner's libraries").noneMatch(name -> name.startsWith("reference-server")
                || name.startsWith("onnxruntime") || name.startsWith("langchain4j") || name.startsWith("javalin")
                || name.startsWith("testcontainers") || name.startsWith("embedded-target"));
    }
}
