package clinic.conformance.runner.certify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import clinic.conformance.runner.cli.CannotRun;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SummaryTest {
    @Test
    void everyCatalogueScenarioAppearsAndUnrunOnesAreSkippedWithAReason() {
        var ran = new LinkedHashMap<String, ScenarioResult>();
        ran.put("S2.1", new ScenarioResult("S2.1", "x", ScenarioStatus.PASSED, 10, null));
        var summary = Summary.of(Map.of("url", "http://t"), OffsetDateTime.now(), ran, false, Selection.ALL);

        assertThat(summary.scenarios()).hasSize(23);
        assertThat(summary.count(ScenarioStatus.PASSED)).isEqualTo(1);
        assertThat(summary.scenarios().get(0).message()).contains("not run");
        assertThat(summary.passed()).isTrue();
    }

    @Test
    void aScenarioWithOneFailedCheckFailsWhateverItsOtherChecksDid() {
        var passed = new ScenarioResult("S2.5", "race", ScenarioStatus.PASSED, 10, null);
        var failed = new ScenarioResult("S2.5", "race", ScenarioStatus.FAILED, 5, "expected 1 but was 2");
        var skipped = new ScenarioResult("S2.5", "race", ScenarioStatus.SKIPPED, 0, "no mock");

        assertThat(passed.merge(failed).status()).isEqualTo(ScenarioStatus.FAILED);
        assertThat(failed.merge(passed).message()).isEqualTo("expected 1 but was 2");
        assertThat(passed.merge(skipped).status()).isEqualTo(ScenarioStatus.SKIPPED);
        assertThat(passed.merge(failed).durationMs()).isEqualTo(15);
    }

    @Test
    void theBaselineExcusesListedFailuresFlagsStaleEntriesAndNothingElse(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        var file = dir.resolve("baseline.txt");
        java.nio.file.Files.writeString(file, "# known\nS2.1 Google sandbox not wired on staging\nS3.4 staging database is small\n");
        var baseline = Baseline.read(file);
        var ran = new LinkedHashMap<String, ScenarioResult>();
        ran.put("S2.1", new ScenarioResult("S2.1", "x", ScenarioStatus.FAILED, 1, "expected synced"));
        ran.put("S3.4", new ScenarioResult("S3.4", "x", ScenarioStatus.PASSED, 1, null));
        var summary = Summary.of(Map.of("url", "u"), OffsetDateTime.now(), ran, false, Selection.ALL, baseline);

        assertThat(summary.passed()).as("only a listed scenario failed").isTrue();
        assertThat(summary.staleBaseline()).containsExactly("S3.4");

        ran.put("S2.2", new ScenarioResult("S2.2", "x", ScenarioStatus.BROKEN, 1, "boom"));
        var worse = Summary.of(Map.of("url", "u"), OffsetDateTime.now(), ran, false, Selection.ALL, baseline);
        assertThat(worse.passed()).as("an unlisted failure fails the gate").isFalse();
        assertThat(worse.unexpectedFailures()).extracting(ScenarioResult::id).containsExactly("S2.2");
    }

    @Test
    void aBaselineLineWithoutAReasonIsRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var file = dir.resolve("baseline.txt");
        java.nio.file.Files.writeString(file, "S2.1\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Baseline.read(file))
                .isInstanceOf(CannotRun.class).hasMessageContaining("line 1");
    }

    @Test
    void anAwaitedConditionThatNeverCameTrueIsAFailureNotBroken() {
        assertThat(ScenarioListener.isUnmetExpectation(new org.awaitility.core.ConditionTimeoutException("never synced"))).isTrue();
        assertThat(ScenarioListener.isUnmetExpectation(new RuntimeException(new AssertionError("wrapped")))).isTrue();
        assertThat(ScenarioListener.isUnmetExpectation(new IllegalStateException("database down"))).isFalse();
    }

    @Test
    void aRequestTheTargetTookAndNeverAnsweredIsAFailureNotBroken() {
        var racerTimedOut = new IllegalStateException("a racing call failed", new java.util.concurrent.ExecutionException(
                new java.io.UncheckedIOException(new java.net.http.HttpTimeoutException("request timed out"))));
        assertThat(ScenarioListener.isUnmetExpectation(racerTimedOut)).isTrue();
        assertThat(ScenarioListener.isUnmetExpectation(new java.net.SocketTimeoutException("Read timed out"))).isTrue();
        assertThat(ScenarioListener.isUnmetExpectation(new java.net.http.HttpConnectTimeoutException("HTTP connect timed out")))
                .as("never connected: unreachable, not a defect").isFalse();
        assertThat(ScenarioListener.isUnmetExpectation(new java.net.SocketTimeoutException("Connect timed out")))
                .as("never connected: unreachable, not a defect").isFalse();
    }

    @Test
    void selectionsMatchIdsAndGroups() {
        var selection = Selection.parse("S2,S4.5", "S2.5");
        assertThat(selection.selects("S2.1")).isTrue();
        assertThat(selection.selects("S4.5")).isTrue();
        assertThat(selection.selects("S2.5")).as("excluded").isFalse();
        assertThat(selection.selects("S4.51")).isFalse();
        assertThat(selection.selects("S1.1")).isFalse();
        assertThat(Selection.ALL.selects("X3.1")).isTrue();
    }

    @Test
    void idsComeFromTheAnnotationAndFamiliesNumberTheirCases() {
        assertThat(Catalogue.idOf(Optional.of("S2.5"), "whatever the wording")).isEqualTo("S2.5");
        assertThat(Catalogue.idOf(Optional.of("X1"), "X1.12 alg none")).isEqualTo("X1.12");
        assertThatThrownBy(() -> Catalogue.idOf(Optional.of("X1"), "alg none")).isInstanceOf(Catalogue.UnknownId.class);
        assertThatThrownBy(() -> Catalogue.idOf(Optional.of("S9.1"), "S9.1 not catalogued")).isInstanceOf(Catalogue.UnknownId.class);
        assertThatThrownBy(() -> Catalogue.idOf(Optional.empty(), "S2.5 named but not annotated"))
                .isInstanceOf(Catalogue.UnknownId.class);
    }

    @Test
    void aSelectionOfNoCataloguedIdReachesNothing() {
        assertThat(Catalogue.selected(Selection.parse("S9", null), true)).isEmpty();
        assertThat(Catalogue.selected(Selection.parse("X1.3", null), false)).as("X needs --extended").isEmpty();
        assertThat(Catalogue.selected(Selection.parse("X1.3", null), true)).extracting(Catalogue.Scenario::id).containsExactly("X1");
        assertThat(Catalogue.selected(Selection.parse("S2", "S2.5"), false)).hasSize(7);
    }

    @Test
    void theCatalogueCannotBeChanged() {
        assertThatThrownBy(() -> Catalogue.ALL.add(new Catalogue.Scenario("S9.1", "x", "§0", false, false)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void docsScenariosMdListsEveryCataloguedId() throws Exception {
        String docs = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "scenarios.md"));
        for (var scenario : Catalogue.ALL) {
            String id = scenario.family() ? scenario.id() + ".n" : scenario.id();
            assertThat(docs).as("docs/scenarios.md names %s", id).contains("| " + id + " |");
        }
    }

    @Test
    void docsScenariosMdTracesEveryIdToItsContractSectionAsTheCatalogueDoes() throws Exception {
        String docs = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "scenarios.md"));
        for (var scenario : Catalogue.ALL) {
            assertThat(scenario.contract()).as("the contract section of %s", scenario.id()).startsWith("§");
            assertThat(docs).as("docs/scenarios.md traces %s", scenario.id())
                    .contains("| " + scenario.id() + " | " + scenario.contract() + " |");
        }
        assertThat(Catalogue.contractOf("X1.7")).as("a family's case").isEqualTo(Catalogue.find("X1").map(Catalogue.Scenario::contract));
    }
}
