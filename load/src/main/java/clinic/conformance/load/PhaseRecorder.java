package clinic.conformance.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gatling's response time of every request (its {@code responseTimeInMillis}), by phase, and whether it was OK —
 * written as one JSON file when the simulation ends, for the harness to read (Gatling's own statistics live only in
 * its HTML report).
 */
final class PhaseRecorder {
    private static final Map<String, Phase> PHASES = new LinkedHashMap<>();

    private PhaseRecorder() {
    }

    private static final class Phase {
        private int[] okMillis = new int[1024];
        private int ok;
        private int ko;
        private long firstStartMillis = Long.MAX_VALUE;
        private long lastEndMillis;
        private final int callers;
        private final int seconds;

        Phase(int callers, int seconds) {
            this.callers = callers;
            this.seconds = seconds;
        }

        synchronized void add(int millis, boolean failed) {
            long now = System.currentTimeMillis();
            firstStartMillis = Math.min(firstStartMillis, now - millis);
            lastEndMillis = Math.max(lastEndMillis, now);
            if (failed) {
                ko++;
                return;
            }
            if (ok == okMillis.length) {
                okMillis = Arrays.copyOf(okMillis, ok * 2);
            }
            okMillis[ok++] = millis;
        }

        synchronized PhaseFigures figures() {
            int[] sorted = Arrays.copyOf(okMillis, ok);
            Arrays.sort(sorted);
            return new PhaseFigures(callers, seconds, ok, ko, ok / (double) seconds,
                    firstStartMillis == Long.MAX_VALUE ? 0 : firstStartMillis, lastEndMillis, percentile(sorted, 50),
                    percentile(sorted, 99), sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
        }

        private static double percentile(int[] sorted, double p) {
            if (sorted.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(p / 100 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(rank, sorted.length - 1))];
        }
    }

    static synchronized void declare(String phase, int callers, int seconds) {
        PHASES.put(phase, new Phase(callers, seconds));
    }

    static void record(String phase, int millis, boolean failed) {
        Phase recorded;
        synchronized (PhaseRecorder.class) {
            recorded = PHASES.get(phase);
        }
        recorded.add(millis, failed);
    }

    static synchronized void write(Path file) throws IOException {
        var figures = new LinkedHashMap<String, PhaseFigures>();
        PHASES.forEach((name, phase) -> figures.put(name, phase.figures()));
        PhaseFigures.writeAll(figures, file);
    }
}
