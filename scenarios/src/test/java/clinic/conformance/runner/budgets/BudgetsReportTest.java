package clinic.conformance.runner.budgets;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.runner.load.Measured;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetsReportTest {
    private static Measured p99(double value) {
        return new Measured(value / 2, value * 0.9, value, value * 1.2, 100, 50);
    }

    private static BudgetsReport report(double bookingP99) {
        var paths = new LinkedHashMap<String, Measured>();
        paths.put("booking", p99(bookingP99));
        paths.put("conflict", p99(5));
        paths.put("calendar_sync", p99(20));
        paths.put("vector_search", p99(8));
        paths.put("rag", p99(30));
        var baselines = new LinkedHashMap<String, Measured>();
        baselines.put("health", p99(2));
        baselines.put("pgvector", p99(4));
        return new BudgetsReport(paths, baselines, Map.of(10_000, p99(8)), Map.of(1, p99(bookingP99)), 10_000, true);
    }

    @Test
    void aPathOverItsSeedBudgetFailsTheRun() {
        assertThat(report(12).overSeedBudget()).isEmpty();
        assertThat(report(499).overSeedBudget()).as("over ours, within the seed's").isEmpty();
        assertThat(report(501).overSeedBudget()).containsExactly("booking");
    }

    @Test
    void aPathNotMeasuredAtAllIsNotWithinBudget() {
        var report = report(12);
        report.paths().put("calendar_sync", Measured.of(new double[0]));
        assertThat(report.overSeedBudget()).containsExactly("calendar_sync");
    }

    @Test
    void percentilesAreReadFromTheSortedSamples() {
        var measured = Measured.of(new double[] {5, 1, 4, 2, 3, 100, 6, 7, 8, 9});
        assertThat(measured.p50()).isEqualTo(5);
        assertThat(measured.p99()).isEqualTo(100);
        assertThat(measured.samples()).isEqualTo(10);
    }
}
