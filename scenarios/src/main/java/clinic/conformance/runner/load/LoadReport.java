package clinic.conformance.runner.load;

import clinic.conformance.load.PhaseFigures;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load series of one budgets run: each path at each number of callers (from the load generator), beside the
 * same-run floors — {@code GET /health} at the same concurrency and the booking's INSERT under RLS at the same client
 * count — with the ratios and the goals, which are reported, never asserted.
 */
public final class LoadReport {
    private final List<Integer> levels;
    private final int seconds;
    private final Map<String, PhaseFigures> phases;
    private final Map<Integer, InsertFloor.Figures> floors;
    private Map<Integer, Map<String, Double>> cpuPerBooking = Map.of();

    LoadReport(List<Integer> levels, int seconds, Map<String, PhaseFigures> phases, Map<Integer, InsertFloor.Figures> floors) {
        this.levels = levels;
        this.seconds = seconds;
        this.phases = phases;
        this.floors = floors;
    }

    /** CPU ms per booking by process (server, mock, database, generator) at each number of callers. */
    LoadReport withCpuPerBooking(Map<Integer, Map<String, Double>> perLevel) {
        this.cpuPerBooking = perLevel;
        return this;
    }

    /** A phase's figures; all zero where the generator did not report it. */
    private PhaseFigures phase(String path, int callers) {
        return phases.getOrDefault(LoadPlanFile.phase(path, callers), new PhaseFigures(callers, seconds, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    ObjectNode json(ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        root.put("generator", "Gatling (closed model: that many callers always in flight), its own process");
        root.put("seconds_per_phase", seconds);
        var rows = root.putArray("levels");
        for (int callers : levels) {
            ObjectNode row = rows.addObject().put("callers", callers);
            for (String path : LoadPlanFile.PATHS) {
                row.set(path, phase(path, callers).json(mapper));
            }
            var cpu = cpuPerBooking.getOrDefault(callers, Map.of());
            if (!cpu.isEmpty()) {
                var node = row.putObject("cpu_ms_per_booking");
                cpu.forEach(node::put);
            }
            InsertFloor.Figures floor = floors.get(callers);
            if (floor != null) {
                row.putObject("insert_floor").put("per_second", floor.perSecond()).put("p50_ms", floor.p50Ms())
                        .put("p99_ms", floor.p99Ms()).put("transactions", floor.transactions());
                row.putObject("booking_to_floor")
                        .put("throughput", ratio(phase(LoadPlanFile.BOOKING, callers).perSecond(), floor.perSecond()))
                        .put("p50", ratio(phase(LoadPlanFile.BOOKING, callers).p50Ms(), floor.p50Ms()));
            }
        }
        root.set("goals", goals(mapper));
        return root;
    }

    /** The goals on this run's figures: met or not, with the figure. */
    private ObjectNode goals(ObjectMapper mapper) {
        ObjectNode goals = mapper.createObjectNode();
        InsertFloor.Figures at16 = floors.get(16);
        InsertFloor.Figures at1 = floors.get(1);
        if (at16 != null) {
            double share = ratio(phase(LoadPlanFile.BOOKING, 16).perSecond(), at16.perSecond());
            goals.putObject("bookings_per_second_16_vs_floor").put("goal", ">= 0.5").put("measured", share).put("met", share >= 0.5);
        }
        double p99 = phase(LoadPlanFile.BOOKING, 16).p99Ms();
        goals.putObject("booking_p99_ms_16").put("goal", "<= 50").put("measured", p99).put("met", p99 <= 50);
        double conflict = phase(LoadPlanFile.CONFLICT, 16).p99Ms();
        goals.putObject("conflict_p99_ms_16").put("goal", "<= 25").put("measured", conflict).put("met", conflict <= 25);
        if (at1 != null) {
            double p50 = ratio(phase(LoadPlanFile.BOOKING, 1).p50Ms(), at1.p50Ms());
            goals.putObject("booking_p50_1_vs_floor").put("goal", "<= 3").put("measured", p50).put("met", p50 <= 3);
        }
        return goals;
    }

    private static double ratio(double value, double floor) {
        return floor <= 0 ? 0 : Math.round(value / floor * 100) / 100.0;
    }

    /** Adds the series to {@code budgets.json} and writes {@code budgets-load.svg} beside it. */
    public void writeInto(Path reports) throws IOException {
        var mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path budgets = reports.resolve("budgets.json");
        ObjectNode root = Files.exists(budgets) ? (ObjectNode) mapper.readTree(budgets.toFile()) : mapper.createObjectNode();
        root.set("load", json(mapper));
        mapper.writeValue(budgets.toFile(), root);
        Files.writeString(reports.resolve("budgets-load.svg"), svg());
    }

    public void print(PrintStream out) {
        out.println("Load series (Gatling, its own process; floors: GET /health at the same concurrency, the booking's "
                + "INSERT under RLS via pgbench at the same client count)");
        out.println("callers  bookings/s  floor/s  ratio   booking p50/p99 ms  floor p50/p99 ms  409 p99 ms  answer p99 ms  health/s   KO");
        for (int callers : levels) {
            PhaseFigures booking = phase(LoadPlanFile.BOOKING, callers);
            InsertFloor.Figures floor = floors.get(callers);
            long ko = LoadPlanFile.PATHS.stream().mapToLong(path -> phase(path, callers).ko()).sum();
            out.println(String.format(Locale.ROOT, "%7d  %10.0f  %7s  %5s   %7.0f / %-8.0f  %16s  %10.0f  %13.0f  %8.0f  %3d",
                    callers, booking.perSecond(), floor == null ? "-" : String.format(Locale.ROOT, "%.0f", floor.perSecond()),
                    floor == null ? "-" : String.format(Locale.ROOT, "%.2f", ratio(booking.perSecond(), floor.perSecond())),
                    booking.p50Ms(), booking.p99Ms(),
                    floor == null ? "-" : String.format(Locale.ROOT, "%.1f / %.1f", floor.p50Ms(), floor.p99Ms()),
                    phase(LoadPlanFile.CONFLICT, callers).p99Ms(),
                    phase(LoadPlanFile.ANSWER, callers).p99Ms(),
                    phase(LoadPlanFile.HEALTH, callers).perSecond(), ko));
        }
        for (int callers : levels) {
            var cpu = cpuPerBooking.getOrDefault(callers, Map.of());
            if (!cpu.isEmpty()) {
                out.println(String.format(Locale.ROOT, "  CPU per booking at %d callers, ms: server %.2f, mock %.2f, "
                        + "database %.2f, generator %.2f", callers, cpu.get("server"), cpu.get("mock"), cpu.get("database"),
                        cpu.get("generator")));
            }
        }
        json(new ObjectMapper()).path("goals").fields().forEachRemaining(goal -> out.println("  goal " + goal.getKey()
                + " " + goal.getValue().path("goal").asText() + ": measured " + goal.getValue().path("measured").asText()
                + (goal.getValue().path("met").asBoolean() ? " (met)" : " (NOT met)")));
    }

    /** Bookings/s (blue) beside the INSERT floor (grey) at each number of callers. */
    String svg() {
        double top = 1;
        for (int callers : levels) {
            top = Math.max(top, phase(LoadPlanFile.BOOKING, callers).perSecond());
            InsertFloor.Figures floor = floors.get(callers);
            top = Math.max(top, floor == null ? 0 : floor.perSecond());
        }
        var svg = new StringBuilder("<svg xmlns='http://www.w3.org/2000/svg' width='640' height='300' font-family='sans-serif' "
                + "font-size='12'><text x='10' y='18'>Bookings/s (blue) and the RLS INSERT floor (grey) by concurrent callers</text>");
        int x = 40;
        for (int callers : levels) {
            double booked = phase(LoadPlanFile.BOOKING, callers).perSecond() / top * 220;
            InsertFloor.Figures floor = floors.get(callers);
            double floorHeight = floor == null ? 0 : floor.perSecond() / top * 220;
            svg.append(String.format(Locale.ROOT, "<rect x='%d' y='%.1f' width='40' height='%.1f' fill='#ced4da'/>", x, 260 - floorHeight, floorHeight))
                    .append(String.format(Locale.ROOT, "<rect x='%d' y='%.1f' width='40' height='%.1f' fill='#4dabf7'/>", x + 42, 260 - booked, booked))
                    .append(String.format(Locale.ROOT, "<text x='%d' y='280'>%d callers</text>", x + 10, callers));
            x += 140;
        }
        return svg.append("</svg>").toString();
    }
}
