package clinic.conformance.scenarios.benchmarks;

import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.fixtures.corpus.ClinicFacts;
import clinic.conformance.fixtures.seed.Clinic;
import clinic.conformance.fixtures.seed.Member;
import clinic.conformance.fixtures.seed.Slots;
import clinic.conformance.fixtures.target.Target;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the benchmarks run against, set up once by {@code ./harness budgets} before JMH starts (in the same JVM):
 * the target, a seeded clinic with a provider, a token, a taken slot, and the clinic's knowledge.
 */
public final class BenchmarkTarget {
    private static volatile BenchmarkTarget current;

    private final Fixtures fixtures;
    private final Clinic clinic;
    private final Member provider;
    private final String token;
    private final OffsetDateTime takenSlot;
    private final String model;
    /** When each benchmarked booking was sent, by event id: the calendar-sync path is read from these. */
    private final Queue<Map.Entry<String, Instant>> bookingsSent = new ConcurrentLinkedQueue<>();

    private BenchmarkTarget(Fixtures fixtures) {
        this.fixtures = fixtures;
        this.clinic = fixtures.seed().clinic("Benchmarks").insert();
        this.provider = fixtures.seed().provider(clinic).insert();
        this.token = fixtures.tokens().of(clinic.admin());
        this.takenSlot = Slots.fresh();
        var first = fixtures.api().book(provider).at(takenSlot).send(token);
        if (first.status() != 200) {
            throw new IllegalStateException("the benchmark clinic cannot book: " + first);
        }
        String lastId = null;
        for (String document : ClinicFacts.northside().documents()) {
            var stored = fixtures.api().postJson("/api/knowledge", Map.of("content", document), token);
            if (stored.status() != 201) {
                throw new IllegalStateException("the benchmark clinic cannot ingest knowledge: " + stored);
            }
            lastId = stored.json().getList("ids", String.class).get(0);
        }
        this.model = (String) fixtures.database().rows("select embedding_model from public.knowledge_base where id = ?::uuid",
                lastId).get(0).get("embedding_model");
    }

    public static BenchmarkTarget prepare(Target target) {
        current = new BenchmarkTarget(Fixtures.forTarget(target));
        return current;
    }

    static BenchmarkTarget current() {
        if (current == null) {
            throw new IllegalStateException("run the benchmarks through ./harness budgets, which prepares the target");
        }
        return current;
    }

    public Fixtures fixtures() {
        return fixtures;
    }

    public Clinic clinic() {
        return clinic;
    }

    public Member provider() {
        return provider;
    }

    public String token() {
        return token;
    }

    public OffsetDateTime takenSlot() {
        return takenSlot;
    }

    public String model() {
        return model;
    }

    void sent(String eventId, Instant at) {
        bookingsSent.add(Map.entry(eventId, at));
    }

    public Queue<Map.Entry<String, Instant>> bookingsSent() {
        return bookingsSent;
    }

    public void cleanUp() {
        fixtures.seed().cleanUp(clinic);
    }
}
