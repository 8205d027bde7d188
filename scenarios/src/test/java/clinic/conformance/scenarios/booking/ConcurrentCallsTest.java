package clinic.conformance.scenarios.booking;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;

class ConcurrentCallsTest {

    @Test
    void aRacerTheTargetNeverAnsweredFailsTheScenarioInsteadOfBreakingIt() {
        assertThatThrownBy(() -> ConcurrentCalls.race(3, i -> {
            throw new UncheckedIOException(new HttpTimeoutException("request timed out"));
        })).isInstanceOf(AssertionError.class).hasMessageContaining("hangs under concurrent requests");
    }

    @Test
    void aRacerThatFailsInTheHarnessStaysAHarnessProblem() {
        assertThatThrownBy(() -> ConcurrentCalls.race(3, i -> {
            throw new IllegalArgumentException("no such provider in the fixture");
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("a racing call failed");
    }
}
