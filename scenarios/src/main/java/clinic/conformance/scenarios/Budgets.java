package clinic.conformance.scenarios;

import java.time.Duration;

/**
 * The seed's latency budgets as the scenario checks use them (contract §4): with a generous margin, because a scenario
 * times one cold call; the real measurement is the JMH benchmarks'.
 */
public final class Budgets {
    public static final int MARGIN = 3;
    public static final Duration SEED_BOOKING = Duration.ofMillis(500);
    public static final Duration BOOKING_CHECK = SEED_BOOKING.multipliedBy(MARGIN);
    public static final Duration SEED_VECTOR_SEARCH = Duration.ofMillis(100);
    public static final Duration VECTOR_SEARCH_CHECK = SEED_VECTOR_SEARCH.multipliedBy(MARGIN);
    public static final Duration SEED_RAG = Duration.ofMillis(300);
    public static final Duration RAG_CHECK = SEED_RAG.multipliedBy(MARGIN);
    /** How long a check waits for asynchronous effects (calendar sync) before it calls them missing. */
    public static final Duration EVENTUALLY = Duration.ofSeconds(15);

    private Budgets() {
    }
}
