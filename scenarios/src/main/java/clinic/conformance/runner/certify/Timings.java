package clinic.conformance.runner.certify;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Where a certification's wall time went, phase by phase ({@code --timings}): the embedded default's start, the
 * preflight, each group of checks, the reports. Measured, printed, never judged.
 */
public final class Timings {
    private final List<Phase> phases = new ArrayList<>();
    private final long began = System.nanoTime();

    /** One phase and how long it took; {@code part} phases are already counted in the one before them. */
    public record Phase(String name, Duration took, boolean part) {
    }

    public synchronized void add(String name, Duration took) {
        phases.add(new Phase(name, took, false));
    }

    /** A part of the phase added last (the database's share of the start), shown indented and not added again. */
    public synchronized void addPart(String name, Duration took) {
        phases.add(new Phase(name, took, true));
    }

    public <T> T time(String name, Supplier<T> work) {
        long started = System.nanoTime();
        try {
            return work.get();
        } finally {
            add(name, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    public synchronized List<Phase> phases() {
        return List.copyOf(phases);
    }

    public synchronized Duration total() {
        return phases.stream().filter(phase -> !phase.part()).map(Phase::took).reduce(Duration.ZERO, Duration::plus);
    }

    public synchronized void print(PrintStream out) {
        out.println();
        out.println("Timings (wall time, s):");
        for (Phase phase : phases) {
            out.printf(Locale.ROOT, "%s%7.1f  %s%n", phase.part() ? "    " : "", phase.took().toMillis() / 1000.0,
                    phase.name());
        }
        out.printf(Locale.ROOT, "%7.1f  total of the phases%n", total().toMillis() / 1000.0);
        out.printf(Locale.ROOT, "%7.1f  wall time since the command began (the rest: discovering the checks, class set-up)%n",
                (System.nanoTime() - began) / 1e9);
    }
}
