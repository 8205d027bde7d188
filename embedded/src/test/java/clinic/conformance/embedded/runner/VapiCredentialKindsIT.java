package clinic.conformance.embedded.runner;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.embedded.EmbeddedTarget;
import clinic.conformance.fixtures.report.Evidence;
import clinic.conformance.fixtures.run.Run;
import clinic.conformance.fixtures.run.RunOptions;
import clinic.conformance.fixtures.target.Profile;
import clinic.conformance.runner.certify.Certification;
import clinic.conformance.runner.certify.ScenarioStatus;
import clinic.conformance.runner.certify.Selection;
import clinic.conformance.runner.certify.Summary;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The embedded default certified under each credential a Vapi server URL can be configured with (contract §1 v3):
 * every tool call of S2 and V1 goes out with a credential of that kind, made through the target's own credential API;
 * under hmac the V3 series checks the signatures too. What changes is the Vapi credential, so that is what runs.
 */
@DisplayName("Certify the embedded default under each Vapi credential kind")
class VapiCredentialKindsIT {
    @ParameterizedTest(name = "--vapi-auth {0}")
    @ValueSource(strings = {"oauth2", "bearer", "secret", "hmac"})
    void theEmbeddedDefaultIsCertifiedUnderTheCredentialKind(String kind) throws Exception {
        try (var target = EmbeddedTarget.builder().withProfile(Profile.VAPI).start()) {
            var run = new Run(target.target(), RunOptions.defaults(Files.createTempDirectory("reports-kind"))
                    .withVapiAuth(kind), new Evidence());
            Summary summary = Certification.of(run, "vapi-auth-" + kind).withoutHtmlReport()
                    .selecting(Selection.parse("S2,V1,V3", null), true)
                    .run(new PrintStream(OutputStream.nullOutputStream()));

            assertThat(summary.unexpectedFailures()).as("checks failed under --vapi-auth %s", kind).isEmpty();
            assertThat(summary.target().get("vapi_credential")).as("how the tool calls went out")
                    .startsWith(kind + " (").doesNotStartWith(kind + " (0 ");
            long signatureChecks = summary.scenarios().stream().filter(s -> s.id().startsWith("V3")
                    && s.status().equals(ScenarioStatus.PASSED)).count();
            assertThat(signatureChecks).as("V3 checks passed").isEqualTo(kind.equals("hmac") ? 5 : 0);
        }
    }
}
