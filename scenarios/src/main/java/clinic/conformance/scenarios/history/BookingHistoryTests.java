package clinic.conformance.scenarios.history;

import static clinic.conformance.fixtures.stub.MockAdmin.bodyContaining;
import static clinic.conformance.fixtures.stub.MockAdmin.jsonResponse;
import static clinic.conformance.fixtures.stub.MockAdmin.postStub;
import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.fixtures.ConformanceTest;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.fixtures.seed.Clinic;
import clinic.conformance.fixtures.seed.Member;
import clinic.conformance.fixtures.seed.Slots;
import clinic.conformance.fixtures.stub.GoogleCalendarMock;
import clinic.conformance.fixtures.stub.MockAdmin;
import clinic.conformance.scenarios.history.BookingChecker.Row;
import clinic.conformance.scenarios.history.BookingChecker.Verdict;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureId;
import io.qameta.allure.Feature;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * X6: the booking history under concurrency and faults, checked as Jepsen checks a database (contract §1
 * book_appointment, docs/history.md). A seeded clinic line runs against the target; every operation is recorded with
 * its real-time bounds and outcome; then {@link BookingChecker} decides whether a correct backend could have produced
 * exactly those answers and that final state.
 */
@ConformanceTest
@DisplayName("X6 Booking history")
@Tag("extended")
@Tag("X6")
@Feature("X6 Booking history")
class BookingHistoryTests {
    private static final int MAX_OPERATIONS = 400;
    private static final Duration CHECK_BUDGET = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Fixtures fx;
    private final List<Clinic> clinics = new ArrayList<>();
    private final List<Workload.Clinic> callers = new ArrayList<>();

    BookingHistoryTests(Fixtures fixtures) {
        this.fx = fixtures;
    }

    @BeforeAll
    void seed() {
        for (String name : List.of("History A", "History B")) {
            Clinic clinic = fx.seed().clinic(name).insert();
            clinics.add(clinic);
            List<Member> providers = List.of(fx.seed().provider(clinic).insert(), fx.seed().provider(clinic).insert());
            callers.add(new Workload.Clinic(name, clinic.id(), fx.tokens().of(clinic.admin()), providers));
        }
    }

    @AfterAll
    void cleanUp() {
        fx.seed().cleanUp(clinics.toArray(Clinic[]::new));
    }

    @Test
    @AllureId("X6.1")
    void theHistoryIsExplainedByACorrectBackend() throws Exception {
        var options = fx.options();
        long seed = options.historySeed().orElse(Math.abs(new java.security.SecureRandom().nextLong() % 1_000_000));
        int clients = options.historyClients();
        int seconds = options.historySeconds();
        String replay = "replay: --extended --only X6 --seed " + seed + " --clients " + clients + " --history-seconds " + seconds;
        System.out.println("         X6: seed " + seed + ", " + clients + " clients, " + seconds + " s (" + replay + ")");
        Allure.step("seed " + seed + ", " + clients + " clients, " + seconds + " s; " + replay);
        var chaos = fx.target().mockUrl().map(MockAdmin::at).map(BookingHistoryTests::googleSlowsAndFails).orElse(List.of());
        OffsetDateTime day = Slots.fresh().withHour(9);
        List<Op> history;
        try {
            history = new Workload(new Workload.Settings(seed, clients, Duration.ofSeconds(seconds), MAX_OPERATIONS), callers,
                    fx.api(), fx.target().url(), day).run();
        } finally {
            chaos.forEach(Runnable::run);
        }
        List<Row> rows = settledRows();
        Path file = record(seed, history);
        assertThat(history).as("operations recorded").isNotEmpty();
        assertApiAgreesWithTheDatabase(rows, day);

        long started = System.nanoTime();
        Verdict verdict = new BookingChecker(CHECK_BUDGET).check(history, rows);
        long ms = Math.max(1, (System.nanoTime() - started) / 1_000_000);
        Allure.step(history.size() + " operations checked in " + ms + " ms (" + history.size() * 1000 / ms
                + " a second); history: " + file);
        if (verdict instanceof Verdict.Invalid invalid) {
            String table = invalid.witnesses().stream().map(Op::toString).collect(Collectors.joining("\n  "));
            Allure.addAttachment("X6 smallest failing sub-history", "text/plain", table);
            throw new AssertionError("X6: " + invalid.why() + "\n  " + table + "\n" + replay);
        }
        if (verdict instanceof Verdict.Inconclusive inconclusive) {
            throw new AssertionError("X6 inconclusive (never a pass): " + inconclusive.why() + "; " + replay);
        }
        assertThat(verdict).isInstanceOf(Verdict.Valid.class);
    }

    /** Where a mock stands in for Google: a fifth of the events' syncs are slow, a tenth fail. Returns the undo. */
    private static List<Runnable> googleSlowsAndFails(MockAdmin mock) {
        ObjectNode slow = postStub(GoogleCalendarMock.EVENTS_PATH, 2, jsonResponse(200,
                "{\"id\":\"{{jsonPath request.body '$.id'}}\",\"htmlLink\":\"https://calendar.example.test/event\"}"));
        ((ObjectNode) slow.get("response")).putArray("transformers").add("response-template");
        ((ObjectNode) slow.get("response")).putObject("delayDistribution").put("type", "uniform").put("lower", 100)
                .put("upper", 1_500);
        bodyContaining((ObjectNode) slow.get("request"), "X6 slow");
        ObjectNode failing = postStub(GoogleCalendarMock.EVENTS_PATH, 2, jsonResponse(503,
                "{\"error\":{\"code\":503,\"message\":\"Backend Error\",\"errors\":[{\"reason\":\"backendError\"}]}}"));
        bodyContaining((ObjectNode) failing.get("request"), "X6 fail");
        String slowId = mock.register(slow);
        String failingId = mock.register(failing);
        return List.of(() -> mock.remove(slowId), () -> mock.remove(failingId));
    }

    /**
     * The final state once abandoned requests have finished on the server: the rows of the run's providers, read until
     * two reads a second apart agree (at most 60 s), so a late commit cannot land between the database's and the API's
     * reads on a busy machine.
     */
    private List<Row> settledRows() throws InterruptedException {
        List<Row> last = finalRows();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            List<Row> now = finalRows();
            if (new HashSet<>(now).equals(new HashSet<>(last))) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private List<Row> finalRows() {
        var providers = callers.stream().flatMap(c -> c.providers().stream()).map(Member::id).toArray(UUID[]::new);
        return fx.database().rows("select id, provider_id, vapi_tool_call_id, scheduled_at, duration_minutes, status "
                + "from public.appointments where provider_id = any(?)", (Object) providers).stream()
                .map(row -> new Row((UUID) row.get("id"), (UUID) row.get("provider_id"), (String) row.get("vapi_tool_call_id"),
                        ((java.sql.Timestamp) row.get("scheduled_at")).toInstant().atOffset(java.time.ZoneOffset.UTC),
                        ((Number) row.get("duration_minutes")).intValue(), (String) row.get("status")))
                .toList();
    }

    /** The final state as each org reads it through the API: its own booked rows, exactly the database's. */
    private void assertApiAgreesWithTheDatabase(List<Row> rows, OffsetDateTime day) {
        for (var caller : callers) {
            var answer = fx.api().get("/api/appointments?from=" + day.minusDays(1) + "&to=" + day.plusDays(1), caller.token());
            assertThat(answer.status()).as("the final list of %s: %s", caller.name(), answer).isEqualTo(200);
            JsonPath json = answer.json();
            assertThat(json.getList("appointments.org_id", String.class)).as("orgs in %s's final list", caller.name())
                    .allMatch(org -> org.equals(caller.id().toString()));
            Set<String> listed = new HashSet<>();
            for (Map<String, Object> appointment : json.<Map<String, Object>>getList("appointments")) {
                if ("booked".equals(appointment.get("status"))) {
                    listed.add(String.valueOf(appointment.get("id")));
                }
            }
            var own = caller.providers().stream().map(Member::id).collect(Collectors.toSet());
            Set<String> stored = rows.stream().filter(r -> own.contains(r.provider()) && r.booked())
                    .map(r -> r.id().toString()).collect(Collectors.toSet());
            assertThat(listed).as("%s's booked appointments through the API and in the database", caller.name())
                    .isEqualTo(stored);
        }
    }

    /** JSON lines in {@code reports/history/}, the history and a timeline per provider attached to Allure. */
    private Path record(long seed, List<Op> history) throws Exception {
        Path dir = fx.options().reports().toAbsolutePath().resolve("history");
        Files.createDirectories(dir);
        Path file = dir.resolve("x6-seed-" + seed + ".jsonl");
        var lines = new StringBuilder();
        for (Op op : history) {
            lines.append(JSON.writeValueAsString(op.json())).append('\n');
        }
        Files.writeString(file, lines);
        Allure.addAttachment("X6 history (JSON lines)", "application/x-ndjson", lines.toString(), ".jsonl");
        var byProvider = history.stream().filter(Op::booking).collect(Collectors.groupingBy(Op::provider));
        byProvider.forEach((provider, ops) -> Allure.addAttachment("X6 timeline of provider " + provider, "image/svg+xml",
                Timeline.svg(provider, ops), ".svg"));
        return file;
    }
}
