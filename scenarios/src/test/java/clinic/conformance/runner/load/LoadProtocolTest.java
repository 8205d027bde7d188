package clinic.conformance.runner.load;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.load.LoadPlan;
import clinic.conformance.load.PhaseFigures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load plan and the generator's figures: what one side writes, the other reads back unchanged. */
class LoadProtocolTest {
    @Test
    void thePlanTheRunnerWritesIsThePlanTheGeneratorReads(@TempDir Path dir) throws Exception {
        var plan = new LoadPlan("http://127.0.0.1:8080", "token-value", List.of(
                LoadPlan.Phase.health("health@4", 4, 3),
                LoadPlan.Phase.tools("booking@4", "{\"id\":\"{{id}}\",\"at\":\"{{slot}}\"}", 200, 4, 3),
                LoadPlan.Phase.tools("conflict@4", "{\"taken\":true}", 409, 4, 3)));
        Path file = Files.createFile(dir.resolve("plan.json"));

        plan.write(file);

        assertThat(LoadPlan.read(file)).isEqualTo(plan);
    }

    @Test
    void theFiguresTheGeneratorWritesAreTheFiguresTheReportReads(@TempDir Path dir) throws Exception {
        var figures = new LinkedHashMap<String, PhaseFigures>();
        figures.put(LoadPlanFile.phase(LoadPlanFile.BOOKING, 16), new PhaseFigures(16, 10, 3_000, 2, 300.0,
                1_700_000_000_000L, 1_700_000_010_000L, 40, 120, 180));
        figures.put(LoadPlanFile.phase(LoadPlanFile.CONFLICT, 16), new PhaseFigures(16, 10, 9_000, 0, 900.0,
                1_700_000_010_000L, 1_700_000_020_000L, 10, 30, 44));
        Path file = dir.resolve("load-results.json");

        PhaseFigures.writeAll(figures, file);
        Map<String, PhaseFigures> read = PhaseFigures.readAll(file);

        assertThat(read).containsExactlyEntriesOf(figures);
        var report = new LoadReport(List.of(16), 10, read, Map.of(16, new InsertFloor.Figures(1_000, 2, 9, 10_000)))
                .withCpuPerBooking(Map.of(16, Map.of("server", 1.0, "mock", 0.4, "database", 1.6, "generator", 0.1)));
        var json = report.json(new com.fasterxml.jackson.databind.ObjectMapper());
        assertThat(json.path("levels").get(0).path("cpu_ms_per_booking").path("mock").asDouble())
                .as("the mock's CPU per booking, counted apart").isEqualTo(0.4);
        var goals = json.path("goals");
        assertThat(goals.path("bookings_per_second_16_vs_floor").path("measured").asDouble()).isEqualTo(0.3);
        assertThat(goals.path("booking_p99_ms_16").path("measured").asDouble()).isEqualTo(120);
        assertThat(goals.path("conflict_p99_ms_16").path("measured").asDouble()).isEqualTo(30);
    }
}
