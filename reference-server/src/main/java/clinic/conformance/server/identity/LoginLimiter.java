package clinic.conformance.server.identity;

import clinic.conformance.server.http.AuthError;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Limits failed password logins per e-mail and per client address in a sliding window. The count is kept whether
 * or not the e-mail exists, so the limiter itself reveals nothing. Per process: several replicas each keep their own.
 */
public final class LoginLimiter {
    private final int maxPerEmail;
    private final int maxPerAddress;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Long>> failures = new HashMap<>();

    public LoginLimiter(int maxPerEmail, int maxPerAddress, Duration window, Clock clock) {
        this.maxPerEmail = maxPerEmail;
        this.maxPerAddress = maxPerAddress;
        this.window = window;
        this.clock = clock;
    }

    /** Throws 429 when either key has used up its failures. */
    public synchronized void check(String email, String address) {
        if (recent("email:" + email) >= maxPerEmail || recent("address:" + address) >= maxPerAddress) {
            throw new AuthError(429, "over_request_rate_limit", "Too many login attempts; try again later");
        }
    }

    public synchronized void failed(String email, String address) {
        long now = clock.millis();
        failures.computeIfAbsent("email:" + email, k -> new ArrayDeque<>()).addLast(now);
        failures.computeIfAbsent("address:" + address, k -> new ArrayDeque<>()).addLast(now);
    }

    public synchronized void succeeded(String email) {
        failures.remove("email:" + email);
    }

    private int recent(String key) {
        Deque<Long> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        long cutoff = clock.millis() - window.toMillis();
        while (!times.isEmpty() && times.peekFirst() < cutoff) {
            times.removeFirst();
        }
        if (times.isEmpty()) {
            failures.remove(key);
        }
        return times.size();
    }
}
