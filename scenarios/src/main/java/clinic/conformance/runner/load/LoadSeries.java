package clinic.conformance.runner.load;

import clinic.conformance.fixtures.target.Target;
import clinic.conformance.scenarios.benchmarks.BenchmarkTarget;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import clinic.conformance.load.PhaseFigures;

/** {@code budgets}' load series: the generator's phases, then the INSERT floor at each client count. */
public final class LoadSeries {
    public static final List<Integer> LEVELS = List.of(1, 4, 16, 64);

    private LoadSeries() {
    }

    /** @param mockPid the process of the Google/LLM mock, where it runs in its own: its CPU is counted apart */
    public static LoadReport run(BenchmarkTarget bench, Target target, boolean quick, Path reports,
                                 java.util.Optional<String> generatorClasspath, java.util.OptionalLong mockPid,
                                 PrintStream out)
            throws IOException, InterruptedException {
        int seconds = quick ? 3 : 10;
        Path work = Files.createTempDirectory("conformance-load");
        Path results = Files.createDirectories(reports.resolve("load"));
        out.println("Load series: " + LEVELS + " callers, " + seconds + " s a phase (Gatling's report: " + results + ")");
        Path plan = LoadPlanFile.write(bench, LEVELS, seconds, work);
        Map<String, PhaseFigures> phases;
        var cpuPerBooking = new LinkedHashMap<Integer, Map<String, Double>>();
        try (var cpu = new CpuSampler(mockPid)) {
            phases = LoadGenerator.run(generatorClasspath, plan, results, results.resolve("load-generator.log"),
                    cpu::generator);
            for (int callers : LEVELS) {
                PhaseFigures booking = phases.get(LoadPlanFile.phase(LoadPlanFile.BOOKING, callers));
                if (booking != null) {
                    cpuPerBooking.put(callers, cpu.perRequest(booking.startedEpochMs(), booking.endedEpochMs(),
                            booking.ok()));
                }
            }
        }
        Files.delete(plan);
        var floors = new LinkedHashMap<Integer, InsertFloor.Figures>();
        var floor = InsertFloor.find(target.database());
        if (floor.isEmpty()) {
            out.println("  pgbench is not installed: the INSERT floor is not measured (PostgreSQL's client tools)");
        } else {
            try {
                for (int clients : LEVELS) {
                    floors.put(clients, floor.get().measure(bench.clinic(), bench.clinic().admin(), bench.provider(),
                            clients, seconds, work));
                }
            } finally {
                floor.get().cleanUp(bench.clinic());
            }
        }
        return new LoadReport(LEVELS, seconds, phases, floors).withCpuPerBooking(cpuPerBooking);
    }
}
