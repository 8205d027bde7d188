package clinic.conformance.embedded.runner;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.embedded.database.DatabaseProvisioner;
import clinic.conformance.fixtures.database.DatabaseUrl;
import clinic.conformance.server.auth.SigningKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A Supabase project as it is in 2026 (contract §1 Identity and §5, v4), certified the way a team certifies its
 * staging from CI: the reference server started on its own ({@code serve}) with new-style API keys only (no legacy
 * secret), e-mail confirmation on and ES256, its database — for the server and for the harness — reached through
 * PgBouncer in session mode (Supavisor's {@code :5432}); the runner alone, by URL, {@code --extended} under the vapi
 * profile with Vapi's HMAC credential. Then the same target through PgBouncer in transaction mode (Supavisor's
 * {@code :6543}), and a server whose database user lacks a role it needs.
 */
@DisplayName("A 2026 Supabase project: new API keys only, confirmation on, the database through the pooler")
class Platform2026IT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aProjectWithNewKeysConfirmationOnAndThePoolerIsCertifiedInFull() throws Exception {
        String signingKey = SigningKey.generateEs256();
        // the project's database exists before its pooler hands out connections to it (a server connection opened
        // before the stand-in's ALTER DATABASE … search_path would keep the old path for its whole pooled life)
        try (var project = new DatabaseProvisioner(Optional.empty(), false).provision();
             var session = PgBouncer.start("session"); var transaction = PgBouncer.start("transaction")) {
            Process serve = HarnessProcess.builder(Map.of("JWT_SIGNING_KEY", signingKey, "AUTH_EMAIL_CONFIRMATION", "on",
                            "VAPI_REFUSALS", "results", "DATABASE_URL", session.url(project.name())),
                            "serve", "--port", "0")
                    .redirectErrorStream(true).start();
            try {
                var printed = HarnessProcess.awaitLines(serve, "reference server:", "database:",
                        "mock (Google Calendar, LLM):", "API keys:");
                String url = printed.get("reference server:");
                String db = session.url(project.name());
                assertThat(printed.get("database:")).as("the server's own database URL goes through the pooler")
                        .contains("127.0.0.1:" + session.port() + "/" + project.name());
                var keys = HarnessProcess.apiKeysFile(printed.get("API keys:"));
                Path keysFile = Path.of(printed.get("API keys:").replaceAll("^.* in (\\S+) \\(readable by this user only\\)$", "$1"));
                assertThat(Files.getPosixFilePermissions(keysFile)).as("the keys file is readable by its user only")
                        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
                assertThat(keys.get("CONFORMANCE_SERVICE_KEY")).startsWith("sb_secret_");
                assertThat(printed.get("API keys:")).as("serve prints where the keys are, never the keys")
                        .doesNotContain(keys.get("CONFORMANCE_SERVICE_KEY"));
                var env = new HashMap<String, String>();
                env.put("CONFORMANCE_SERVICE_KEY", keys.get("CONFORMANCE_SERVICE_KEY"));
                env.put("CONFORMANCE_ANON_KEY", keys.get("CONFORMANCE_ANON_KEY"));
                env.put("CONFORMANCE_JWT_SIGNING_KEY", signingKey);
                Path reports = Files.createTempDirectory("reports-2026");

                var run = HarnessProcess.runRunnerOnly(env, "certify", "--target-url", url, "--db-url", db,
                        "--mock-url", printed.get("mock (Google Calendar, LLM):"), "--extended", "--profile", "vapi",
                        "--vapi-auth", "hmac", "--corpus-size", "1000", "--reports", reports.toString());

                assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
                JsonNode summary = JSON.readTree(reports.resolve("summary.json").toFile());
                for (JsonNode scenario : summary.get("scenarios")) {
                    assertThat(scenario.get("status").asText()).as("%s on the 2026 project: %s",
                            scenario.get("id").asText(), scenario.path("message").asText()).isEqualTo("passed");
                }
                assertThat(summary.get("target").get("email_confirmation").asText())
                        .as("the certificate says how sign-ups were confirmed").startsWith("on: ").contains("admin API");
                assertThat(Files.readString(reports.resolve("certificate.html"))).as("the certificate names its profile")
                        .contains("id=\"profile\">vapi: refusals answered with HTTP 200")
                        .contains("id=\"email-confirmation\">on: ");
                String written = HarnessProcess.everythingWritten(reports, run.output());
                assertThat(written).as("the API keys and the signing key, anywhere in output or reports")
                        .doesNotContain(keys.get("CONFORMANCE_SERVICE_KEY")).doesNotContain(keys.get("CONFORMANCE_ANON_KEY"))
                        .doesNotContain(JSON.readTree(signingKey).get("d").asText());

                // transaction mode: each transaction may get another server connection
                String pooled = transaction.url(project.name());
                Path viaTransactions = Files.createTempDirectory("reports-2026-transaction");
                var doctor = HarnessProcess.runRunnerOnly(env, "doctor", "--target-url", url, "--db-url", pooled);
                var inTransactionMode = HarnessProcess.runRunnerOnly(env, "certify", "--target-url", url, "--db-url",
                        pooled, "--mock-url", printed.get("mock (Google Calendar, LLM):"), "--extended", "--profile",
                        "vapi", "--only", "S1,S2,S4,P1.1,P1.2,P1.3,P1.4,P3", "--reports", viaTransactions.toString());

                assertThat(doctor.exitCode()).as("doctor through transaction mode; output:%n%s", doctor.output()).isZero();
                assertThat(inTransactionMode.exitCode()).as("certify through transaction mode; output:%n%s",
                        inTransactionMode.output()).isZero();
            } finally {
                serve.destroy();
                serve.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aServerWhoseDatabaseUserLacksARoleItNeedsStopsAndNamesTheGrant() throws Exception {
        String user = "clinic_app_" + UUID.randomUUID().toString().substring(0, 8);
        var local = DatabaseUrl.parse("postgresql://postgres@127.0.0.1:5432/postgres");
        try (var connection = local.connect(); var statement = connection.createStatement()) {
            for (String role : new String[] {"authenticated", "service_role", "supabase_auth_admin"}) {
                statement.execute("do $$ begin if not exists (select from pg_roles where rolname = '" + role
                        + "') then create role " + role + " nologin; end if; end $$");
            }
            statement.execute("create role " + user + " login");
            statement.execute("grant authenticated, service_role to " + user);
        }
        try {
            var started = HarnessProcess.run(Map.of("DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/postgres?user=" + user),
                    "serve", "--port", "0");

            assertThat(started.exitCode()).as("exit code; output:%n%s", started.output()).isNotZero();
            assertThat(started.output().lines().filter(line -> line.startsWith("harness:")))
                    .as("one sentence naming the grant; output:%n%s", started.output()).singleElement().asString()
                    .contains("GRANT supabase_auth_admin TO " + user);
        } finally {
            try (var connection = local.connect(); var statement = connection.createStatement()) {
                statement.execute("drop role " + user);
            }
        }
    }
}
