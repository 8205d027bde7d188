package clinic.conformance.scenarios.benchmarks;

import clinic.conformance.fixtures.seed.Slots;
import clinic.conformance.fixtures.vapi.ApiResponse;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/** The booking path over HTTP: each invocation a fresh, non-overlapping slot (contract §4: seed budget 500 ms). */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BookingBenchmark {

    @Benchmark
    public ApiResponse book() {
        var target = BenchmarkTarget.current();
        Instant sent = Instant.now();
        ApiResponse response = target.fixtures().api().book(target.provider()).at(Slots.fresh()).send(target.token());
        if (response.status() != 200) {
            throw new IllegalStateException("booking failed during the benchmark: " + response);
        }
        target.sent(response.eventId(), sent);
        return response;
    }
}
