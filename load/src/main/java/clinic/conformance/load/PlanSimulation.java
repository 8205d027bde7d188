package clinic.conformance.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load plan as a Gatling simulation: each phase a closed workload ({@code constantConcurrentUsers}: exactly that
 * many callers in flight, each starting its next request when the last is answered, as a phone line does), the phases
 * chained one after another so each is measured alone.
 */
public class PlanSimulation extends Simulation {
    /** Slots far from anything else the harness books: half-hour steps from 2300-01-01, one per request. */
    private static final OffsetDateTime FIRST_SLOT = OffsetDateTime.parse("2300-01-01T00:00:00Z");
    private static final AtomicLong NEXT_SLOT = new AtomicLong();

    public PlanSimulation() {
        LoadPlan plan;
        try {
            plan = LoadPlan.read(Path.of(System.getProperty("load.plan")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PopulationBuilder chain = null;
        for (LoadPlan.Phase phase : plan.phases()) {
            PhaseRecorder.declare(phase.name(), phase.callers(), phase.seconds());
            PopulationBuilder population = scenario(phase.name()).exec(request(phase, plan.token()))
                    .exec(session -> {
                        PhaseRecorder.record(phase.name(), session.contains("rt") ? session.getInt("rt") : 0,
                                session.isFailed());
                        return session;
                    })
                    .injectClosed(constantConcurrentUsers(phase.callers()).during(Duration.ofSeconds(phase.seconds())));
            chain = chain == null ? population : chain.andThen(population);
        }
        setUp(chain).protocols(http.baseUrl(plan.baseUrl()).shareConnections().disableCaching()
                .acceptHeader("application/json"));
    }

    private static HttpRequestActionBuilder request(LoadPlan.Phase phase, String token) {
        var request = http(phase.name()).httpRequest(phase.method(), phase.path());
        if (phase.authorized()) {
            request = request.header("Authorization", "Bearer " + token);
        }
        if (phase.body() != null) {
            String template = phase.body();
            request = request.header("Content-Type", "application/json").body(StringBody(session -> fill(template)));
        }
        return request.check(status().is(phase.status()), responseTimeInMillis().saveAs("rt"));
    }

    @Override
    public void after() {
        try {
            PhaseRecorder.write(Path.of(System.getProperty("load.results")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fill(String template) {
        String filled = template;
        if (filled.contains("{{slot}}")) {
            filled = filled.replace("{{slot}}", FIRST_SLOT.plusMinutes(30 * NEXT_SLOT.getAndIncrement()).toString());
        }
        while (filled.contains("{{id}}")) {
            filled = filled.replaceFirst("\\{\\{id}}", UUID.randomUUID().toString());
        }
        return filled;
    }
}
