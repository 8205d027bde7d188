package clinic.conformance.embedded.runner;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.fixtures.report.Evidence;
import clinic.conformance.fixtures.run.Run;
import clinic.conformance.fixtures.run.RunOptions;
import clinic.conformance.runner.certify.Certification;
import clinic.conformance.runner.certify.ScenarioResult;
import clinic.conformance.runner.certify.ScenarioStatus;
import clinic.conformance.runner.certify.Selection;
import clinic.conformance.runner.certify.Summary;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mutant of {@link Mutants#catalogue()} must fail its scenario IDs; the matrix (mutant → killed by) is written
 * to {@code reports/mutation.json}. The correct server passing everything is {@link CertifyCommandIT}'s part.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("The scenarios reject deliberately wrong targets")
class MutantTargetsIT {
    private final List<Map<String, Object>> matrix = new ArrayList<>();

    /** All of them; {@code -Dmutants.only=P2,X5} narrows a developer's run to the mutants those IDs must kill. */
    static Stream<Mutants.Mutant> mutants() {
        var only = Selection.parse(System.getProperty("mutants.only", ""), null);
        return Mutants.catalogue().stream().filter(mutant -> System.getProperty("mutants.only", "").isBlank()
                || mutant.mustFail().stream().anyMatch(only::selects));
    }

    @Test
    void theCatalogueHasAtLeastFifteenMutants() {
        assertThat(Mutants.catalogue()).hasSizeGreaterThanOrEqualTo(15);
    }

    @ParameterizedTest(name = "a target that {0} fails its scenarios")
    @MethodSource("mutants")
    void theRunFailsWithTheRightIds(Mutants.Mutant mutant) throws Exception {
        Summary summary = null;
        List<String> failed = List.of();
        int runs = 0;
        var reproduced = java.util.concurrent.ConcurrentHashMap.<String>newKeySet();
        // V3 checks signatures: its mutants are certified as a target whose Vapi server URL carries an HMAC credential
        String vapiAuth = mutant.mustFail().stream().anyMatch(id -> id.startsWith("V3")) ? "hmac" : "jwt";
        // a race is caught with high probability, not certainty: a racy mutant gets up to mutant.runs() certifications
        while (runs < mutant.runs() && (summary == null || !failed.containsAll(mutant.mustFail()))) {
            runs++;
            try (var target = mutant.build().get().start();
                 var front = mutant.front().map(rewrite -> MutantFront.start(target.target().url(), rewrite)).orElse(null)) {
                var certified = front == null ? target.target() : front.target(target.target());
                // only the scenarios the mutant is about: a full run per mutant would cost minutes for nothing
                var run = new Run(certified, RunOptions.defaults(Files.createTempDirectory("reports-mutant"))
                        .withVapiAuth(vapiAuth).withRefreshReuse(target.refreshReuseInterval().orElseThrow()), new Evidence());
                summary = Certification.of(run, "mutant").withoutHtmlReport()
                        .selecting(Selection.parse(String.join(",", mutant.mustFail()), null),
                                mutant.mustFail().stream().anyMatch(id -> !id.startsWith("S")))
                        .reproducingWith(id -> {
                            reproduced.add(id);
                            return List.of();
                        }).run(new PrintStream(java.io.OutputStream.nullOutputStream()));
            }
            failed = summary.scenarios().stream()
                    .filter(s -> s.status().equals(ScenarioStatus.FAILED)).map(ScenarioResult::id).toList();
        }
        var row = new LinkedHashMap<String, Object>();
        row.put("mutant", mutant.name());
        row.put("built_by", mutant.builtBy());
        row.put("must_fail", mutant.mustFail().stream().sorted().toList());
        row.put("failed", failed);
        row.put("killed", !summary.passed() && failed.containsAll(mutant.mustFail()));
        row.put("certification_runs", runs);
        synchronized (matrix) {
            matrix.add(row);
        }
        assertThat(summary.passed()).as("the run passes the target that %s", mutant.name()).isFalse();
        assertThat(failed).as("failed IDs for the target that %s", mutant.name()).containsAll(mutant.mustFail());
        assertThat(reproduced).as("a reproduction offered for each failed ID").containsAll(mutant.mustFail());
    }

    @AfterAll
    void writeTheMatrix() throws Exception {
        Path reports = Path.of("..", "reports").toAbsolutePath().normalize();
        Files.createDirectories(reports);
        var json = new LinkedHashMap<String, Object>();
        json.put("mutants", matrix.size());
        json.put("killed", matrix.stream().filter(r -> Boolean.TRUE.equals(r.get("killed"))).count());
        json.put("matrix", matrix);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(reports.resolve("mutation.json").toFile(), json);
    }
}
