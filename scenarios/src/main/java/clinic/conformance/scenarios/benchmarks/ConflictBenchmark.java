package clinic.conformance.scenarios.benchmarks;

import clinic.conformance.fixtures.vapi.ApiResponse;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/** The 409 path: booking a slot that is taken (contract §4: seed budget 50 ms). */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConflictBenchmark {

    @Benchmark
    public ApiResponse conflict() {
        var target = BenchmarkTarget.current();
        ApiResponse response = target.fixtures().api().book(target.provider()).at(target.takenSlot()).send(target.token());
        if (response.status() != 409) {
            throw new IllegalStateException("expected 409 for the taken slot: " + response);
        }
        return response;
    }
}
