package clinic.conformance.server.calendar;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter, capped at {@code max}; a server's Retry-After wins when it asks for longer, even past
 * {@code max} (retrying earlier is what Retry-After forbids), up to a one-hour ceiling against absurd values.
 */
public record Backoff(Duration base, Duration max) {
    public static final Duration RETRY_AFTER_CEILING = Duration.ofHours(1);

    public Duration next(int attempts, Duration retryAfter) {
        long exponent = Math.min(Math.max(attempts - 1, 0), 20);
        long ceiling = Math.min(max.toMillis(), base.toMillis() * (1L << exponent));
        long jittered = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        Duration wait = Duration.ofMillis(jittered);
        if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
            wait = retryAfter.compareTo(RETRY_AFTER_CEILING) > 0 ? RETRY_AFTER_CEILING : retryAfter;
        }
        return wait;
    }
}
