package clinic.conformance.runner.certify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryMarkdownTest {
    private static Summary summary(Baseline baseline) {
        var ran = new LinkedHashMap<String, ScenarioResult>();
        for (var scenario : Catalogue.core()) {
            ran.put(scenario.id(), new ScenarioResult(scenario.id(), scenario.name(), ScenarioStatus.PASSED, 5, null));
        }
        ran.put("S2.4", new ScenarioResult("S2.4", "a Clinic B slot | refused", ScenarioStatus.FAILED, 5,
                "\n[HTTP status] 100% wrong\nexpected: 403\n but was: 200"));
        ran.put("X5.5", new ScenarioResult("X5.5", "a 409 duplicate", ScenarioStatus.PASSED, 5, null));
        ran.put("X1.3", new ScenarioResult("X1.3", "HS256 with an empty key", ScenarioStatus.FAILED, 5, "accepted"));
        var target = new LinkedHashMap<String, String>();
        target.put("url", "https://staging.example.test");
        target.put("version", "1.2.3");
        target.put("profile", "vapi");
        target.put("tokens", "ES256 tokens from the target's password grant");
        return Summary.of(target, OffsetDateTime.now(), ran, true, Selection.ALL, baseline);
    }

    @Test
    void theSummaryCarriesTheVerdictTheCertificatesCountsAndEachFailureWithItsReproduction() {
        var summary = summary(Baseline.NONE);
        String md = SummaryMarkdown.markdown(summary, Map.of("S2.4", List.of(
                "Reproduce: ./harness certify --only S2.4 --target-url https://staging.example.test --db-url \"$CONFORMANCE_DB_URL\"",
                "Last request: curl -sS -X POST 'https://staging.example.test/api/vapi/tools' -H \"Authorization: Bearer $TOKEN\"")));

        var counts = Certificate.Counts.of(summary);
        assertThat(md).startsWith("## Conformance: ❌ gate failed")
                .contains("**" + counts.certified() + " certified scenarios passed**, " + counts.extended() + " extended checks passed")
                .contains("| profile | vapi |").contains("ES256 tokens from the target's password grant")
                .contains("| S2.4 | ❌ failed | a Clinic B slot \\| refused |")
                .contains("> [HTTP status] 100% wrong")
                .contains("./harness certify --only S2.4").contains("Authorization: Bearer $TOKEN")
                .contains("| X1 | ⚠️ 0/1 passed | extended: failed X1.3 |")
                .doesNotContain("Reproduce:");
        assertThat(counts.certified()).isEqualTo("22/23");
    }

    @Test
    void annotationsAreOneWorkflowCommandPerFailureTheBaselineDoesNotExcuse() {
        var baseline = new Baseline(Map.of("X1.3", "known: tracked elsewhere", "S1.1", "fixed since"));
        var summary = summary(baseline);

        String annotations = SummaryMarkdown.annotations(summary);

        assertThat(annotations.lines()).containsExactly(
                "::error title=S2.4::a Clinic B slot | refused: [HTTP status] 100%25 wrong");
        assertThat(SummaryMarkdown.markdown(summary, Map.of())).contains("_(in the baseline: does not fail the gate)_")
                .contains("### Stale baseline entries").contains("`S1.1`");
    }
}
