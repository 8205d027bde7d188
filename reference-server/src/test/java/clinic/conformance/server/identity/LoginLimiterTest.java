package clinic.conformance.server.identity;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import clinic.conformance.server.http.AuthError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginLimiterTest {
    private Instant now = Instant.parse("2030-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final LoginLimiter limiter = new LoginLimiter(3, 5, Duration.ofMinutes(15), clock);

    @Test
    void anEmailIsLockedAfterItsFailuresUntilTheWindowPasses() {
        for (int i = 0; i < 3; i++) {
            limiter.check("a@x.test", "10.0.0.1");
            limiter.failed("a@x.test", "10.0.0.1");
        }
        assertThatThrownBy(() -> limiter.check("a@x.test", "10.0.0.9")).isInstanceOf(AuthError.class)
                .extracting(e -> ((AuthError) e).status()).isEqualTo(429);
        now = now.plus(Duration.ofMinutes(16));
        assertThatCode(() -> limiter.check("a@x.test", "10.0.0.9")).doesNotThrowAnyException();
    }

    @Test
    void anAddressIsLockedAcrossEmails() {
        for (int i = 0; i < 5; i++) {
            limiter.failed("user" + i + "@x.test", "10.0.0.2");
        }
        assertThatThrownBy(() -> limiter.check("fresh@x.test", "10.0.0.2")).isInstanceOf(AuthError.class);
        assertThatCode(() -> limiter.check("fresh@x.test", "10.0.0.3")).doesNotThrowAnyException();
    }

    @Test
    void successClearsTheEmailsFailures() {
        limiter.failed("b@x.test", "10.0.0.4");
        limiter.failed("b@x.test", "10.0.0.4");
        limiter.succeeded("b@x.test");
        limiter.failed("b@x.test", "10.0.0.4");
        assertThatCode(() -> limiter.check("b@x.test", "10.0.0.5")).doesNotThrowAnyException();
    }
}
