package clinic.conformance.runner.load;

import java.util.Arrays;
import org.openjdk.jmh.util.Statistics;

/** One path's latency distribution in milliseconds. */
public record Measured(double p50, double p95, double p99, double max, long samples, double perSecond) {

    public static Measured of(Statistics statistics, double measuredSeconds) {
        return new Measured(statistics.getPercentile(50), statistics.getPercentile(95), statistics.getPercentile(99),
                statistics.getMax(), statistics.getN(), measuredSeconds > 0 ? statistics.getN() / measuredSeconds : 0);
    }

    public static Measured of(double[] millis) {
        if (millis.length == 0) {
            return new Measured(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0);
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new Measured(percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99), sorted[sorted.length - 1],
                sorted.length, 0);
    }

    private static double percentile(double[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
