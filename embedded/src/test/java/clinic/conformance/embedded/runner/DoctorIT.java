package clinic.conformance.embedded.runner;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.embedded.EmbeddedTarget;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("./harness doctor, as a process with the runner alone")
class DoctorIT {
    @Test
    void aTargetMissingOneColumnIsToldWhichAndWhereTheContractAsksForIt() throws Exception {
        try (var target = EmbeddedTarget.builder()
                .withDatabaseChange("alter table public.appointments drop column vapi_call_id").start()) {
            String url = target.target().url().toString();
            String db = target.target().database().jdbcUrl();

            var doctor = HarnessProcess.runRunnerOnly(Map.of(), "doctor", "--target-url", url, "--db-url", db);
            var certify = HarnessProcess.runRunnerOnly(Map.of("CONFORMANCE_SERVICE_KEY",
                    target.target().auth().serviceKey().orElseThrow()),
                    "certify", "--target-url", url, "--db-url", db);

            for (var run : new HarnessProcess[] {doctor, certify}) {
                assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isEqualTo(2);
                assertThat(run.output()).as("the missing column and its contract section")
                        .contains("missing column public.appointments.vapi_call_id (contract §1 book_appointment, §2;");
                assertThat(run.output().lines().filter(line -> line.startsWith("doctor: missing")).count())
                        .as("nothing else reported missing").isEqualTo(1);
            }
            assertThat(certify.output()).as("nothing ran").doesNotContain("Running ");
        }
    }

    @Test
    void aCompleteTargetPasses() throws Exception {
        try (var target = EmbeddedTarget.start()) {
            var doctor = HarnessProcess.runRunnerOnly(Map.of(), "doctor", "--target-url", target.target().url().toString(),
                    "--db-url", target.target().database().jdbcUrl());

            assertThat(doctor.exitCode()).as("exit code; output:%n%s", doctor.output()).isZero();
            assertThat(doctor.output()).contains("has all");
        }
    }
}
