package clinic.conformance.scenarios.benchmarks;

import clinic.conformance.fixtures.corpus.ClinicFacts;
import clinic.conformance.fixtures.vapi.ApiResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/** The RAG pipeline over HTTP with the LLM mocked (contract §4: seed budget 300 ms). */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SmartAnswerBenchmark {

    @Benchmark
    public ApiResponse smartAnswer() {
        var target = BenchmarkTarget.current();
        ApiResponse response = target.fixtures().api().postJson("/api/smart-answer",
                Map.of("question", ClinicFacts.HOURS_QUESTION, "top_k", 3), target.token());
        if (response.status() != 200) {
            throw new IllegalStateException("smart answer failed during the benchmark: " + response);
        }
        return response;
    }
}
