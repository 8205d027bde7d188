package clinic.conformance.scenarios.history;

import clinic.conformance.fixtures.seed.Member;
import clinic.conformance.fixtures.vapi.ApiResponse;
import clinic.conformance.fixtures.vapi.TargetApi;
import clinic.conformance.scenarios.history.Op.Kind;
import clinic.conformance.scenarios.history.Op.Outcome;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * X6's clinic line: {@code clients} concurrent callers in two or more orgs over a few providers, for a bounded time
 * and count — bookings of overlapping intervals of different lengths through Vapi's tools endpoint, cancellations and
 * re-bookings of freed slots, lists, the same tool call resent while its original may still be in flight, and
 * requests the caller abandons after a short timeout (their outcome is unknown). Seeded: the seed and the client
 * count replay the same choices (the server's timing is its own).
 */
public final class Workload {
    /** What to run: the seed every choice comes from, how many callers, for how long, at most how many operations. */
    public record Settings(long seed, int clients, Duration duration, int maxOperations) {
    }

    /** One org as its callers see it: a token and the providers they book. */
    public record Clinic(String name, UUID id, String token, List<Member> providers) {
    }

    private static final int[] MINUTES = {15, 30, 45, 60};
    private static final int GRID_MINUTES = 15;
    private static final int GRID_SLOTS = 16;
    private final Settings settings;
    private final List<Clinic> clinics;
    private final TargetApi vapi;
    private final URI target;
    private final OffsetDateTime day;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newCachedThreadPool(daemon())).build();
    private final List<Op> history = new CopyOnWriteArrayList<>();
    private final List<Op> confirmed = new CopyOnWriteArrayList<>();
    private final List<Op> sent = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, String> payloads = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private long t0;

    public Workload(Settings settings, List<Clinic> clinics, TargetApi vapi, URI target, OffsetDateTime day) {
        this.settings = settings;
        this.clinics = clinics;
        this.vapi = vapi;
        this.target = target;
        this.day = day;
    }

    /** Runs every caller until the time or the count runs out, then waits for abandoned requests to settle. */
    public List<Op> run() throws InterruptedException {
        t0 = System.nanoTime();
        long deadline = t0 + settings.duration().toNanos();
        var callers = Executors.newFixedThreadPool(settings.clients(), daemon());
        for (int c = 0; c < settings.clients(); c++) {
            int client = c;
            callers.submit(() -> {
                var random = new Random(settings.seed() * 1_000_003L + client);
                while (System.nanoTime() < deadline && next.get() < settings.maxOperations()) {
                    step(client, random);
                }
            });
        }
        callers.shutdown();
        callers.awaitTermination(settings.duration().toSeconds() + 60, TimeUnit.SECONDS);
        Thread.sleep(2_000);
        var ordered = new ArrayList<>(history);
        ordered.sort(java.util.Comparator.comparingInt(Op::index));
        return Collections.unmodifiableList(ordered);
    }

    private void step(int client, Random random) {
        Clinic clinic = clinics.get(random.nextInt(clinics.size()));
        int dice = random.nextInt(100);
        if (dice < 10 && !sent.isEmpty()) {
            resend(client, sent.get(sent.size() - 1 - random.nextInt(Math.min(3, sent.size()))));
        } else if (dice < 30 && !confirmed.isEmpty()) {
            Op booked = confirmed.get(random.nextInt(confirmed.size()));
            cancel(client, clinicOf(booked), booked.appointment());
            if (random.nextInt(4) == 0) {
                // Vapi resends a call it had no answer to, even after the booking it made was cancelled
                resend(client, booked);
            } else if (random.nextBoolean()) {
                book(client, clinicOf(booked), booked.provider(), booked.start(), booked.minutes(), random, false);
            }
        } else if (dice < 35) {
            list(client, clinic);
        } else {
            Member provider = clinic.providers().get(random.nextInt(clinic.providers().size()));
            OffsetDateTime start = day.plusMinutes((long) GRID_MINUTES * random.nextInt(GRID_SLOTS));
            book(client, clinic, provider.id(), start, MINUTES[random.nextInt(MINUTES.length)], random, dice >= 90);
        }
    }

    private Clinic clinicOf(Op op) {
        return clinics.stream().filter(c -> c.name().equals(op.org())).findFirst().orElseThrow();
    }

    private void book(int client, Clinic clinic, UUID provider, OffsetDateTime start, int minutes, Random random,
                      boolean abandon) {
        String toolCallId = "call_x6_" + UUID.randomUUID();
        // the patient's name steers the Google mock: some events are slow, some fail (when a mock is there)
        String patient = "X6 " + (random.nextInt(10) < 2 ? "slow" : random.nextInt(10) < 1 ? "fail" : "ok") + " " + toolCallId;
        String payload = vapi.book(memberOf(clinic, provider)).at(start).minutes(minutes).toolCallId(toolCallId)
                .patient(patient, "x6@example.test").payload();
        payloads.put(toolCallId, payload);
        var op = begin(client, Kind.BOOK, clinic, provider, start, minutes, toolCallId, null);
        sent.add(op);
        Duration timeout = abandon ? Duration.ofMillis(20 + random.nextInt(120)) : Duration.ofSeconds(20);
        finishBooking(op, post(vapi.toolsPath(), payload, clinic.token(), timeout));
    }

    private void resend(int client, Op original) {
        Clinic clinic = clinicOf(original);
        var op = begin(client, Kind.RESEND, clinic, original.provider(), original.start(), original.minutes(),
                original.toolCallId(), null);
        finishBooking(op, post(vapi.toolsPath(), payloads.get(original.toolCallId()), clinic.token(), Duration.ofSeconds(20)));
    }

    private void cancel(int client, Clinic clinic, UUID appointment) {
        var op = begin(client, Kind.CANCEL, clinic, null, null, 0, null, appointment);
        var answer = post("/api/appointments/" + appointment + "/cancel", "{}", clinic.token(), Duration.ofSeconds(20));
        if (answer == null) {
            record(op, Outcome.UNKNOWN, null, "the caller gave up");
        } else if (answer.httpStatus() == 200) {
            record(op, Outcome.OK, appointment, null);
        } else if (answer.httpStatus() == 404) {
            record(op, Outcome.NOT_FOUND, null, null);
        } else {
            record(op, answer.httpStatus() / 100 == 4 ? Outcome.REFUSED : Outcome.ERROR, null, answer.toString());
        }
    }

    private void list(int client, Clinic clinic) {
        var op = begin(client, Kind.LIST, clinic, null, null, 0, null, null);
        var answer = get("/api/appointments?from=" + day.minusDays(1) + "&to=" + day.plusDays(1), clinic.token());
        if (answer == null || answer.httpStatus() != 200) {
            record(op, Outcome.ERROR, null, String.valueOf(answer));
            return;
        }
        List<String> orgs = JsonPath.from(answer.body()).getList("appointments.org_id", String.class);
        long foreign = orgs.stream().filter(org -> !org.equals(clinic.id().toString())).count();
        record(op, Outcome.OK, null, foreign == 0 ? null : "saw " + foreign + " rows of another org");
    }

    private void finishBooking(Op op, ApiResponse answer) {
        if (answer == null) {
            record(op, Outcome.UNKNOWN, null, "the caller gave up");
            return;
        }
        String code = answer.refusalCode();
        String id = answer.appointmentId();
        if (answer.httpStatus() == 200 && code == null && id != null) {
            Op done = record(op, Outcome.OK, UUID.fromString(id), null);
            confirmed.add(done);
        } else if ("slot_conflict".equals(code) || answer.httpStatus() == 409) {
            record(op, Outcome.CONFLICT, null, null);
        } else if (answer.httpStatus() / 100 == 4 || (answer.httpStatus() == 200 && code != null)) {
            record(op, Outcome.REFUSED, null, answer.toString());
        } else {
            record(op, Outcome.ERROR, null, answer.toString());
        }
    }

    private Member memberOf(Clinic clinic, UUID provider) {
        return clinic.providers().stream().filter(p -> p.id().equals(provider)).findFirst().orElseThrow();
    }

    private Op begin(int client, Kind kind, Clinic clinic, UUID provider, OffsetDateTime start, int minutes,
                     String toolCallId, UUID target) {
        return new Op(next.getAndIncrement(), client, kind, clinic.name(), provider, start, minutes, toolCallId, target,
                System.nanoTime() - t0, Long.MAX_VALUE, Outcome.UNKNOWN, null, null);
    }

    private Op record(Op op, Outcome outcome, UUID appointment, String detail) {
        long now = outcome == Outcome.UNKNOWN ? Long.MAX_VALUE : System.nanoTime() - t0;
        Op done = op.completed(now, outcome, appointment, detail);
        history.add(done);
        return done;
    }

    private ApiResponse post(String path, String body, String token, Duration timeout) {
        return send(HttpRequest.newBuilder(target.resolve(path)).timeout(timeout)
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private ApiResponse get(String path, String token) {
        return send(HttpRequest.newBuilder(target.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    /** The answer, or null when the caller gave up (its timeout) or the connection failed: the outcome is unknown. */
    private ApiResponse send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new ApiResponse(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (HttpTimeoutException gaveUp) {
            return null;
        } catch (java.io.IOException lost) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return runnable -> {
            var thread = new Thread(runnable, "x6-caller");
            thread.setDaemon(true);
            return thread;
        };
    }
}
