package clinic.conformance.embedded.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.conformance.embedded.EmbeddedTarget;
import clinic.conformance.embedded.database.DatabaseProvisioner;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.fixtures.seed.Member;
import clinic.conformance.fixtures.seed.Slots;
import clinic.conformance.fixtures.stub.GoogleCalendarMock;
import clinic.conformance.fixtures.stub.MockAdmin;
import clinic.conformance.fixtures.target.Target;
import clinic.conformance.fixtures.target.TargetAuth;
import clinic.conformance.fixtures.vapi.ApiResponse;
import clinic.conformance.server.ReferenceServer;
import clinic.conformance.server.config.ServerConfig;
import clinic.conformance.server.db.Database;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Faults the reference server must survive, with figures: Google failing, the database cut off, two processes racing. */
@DisplayName("Reference server: faults it must survive")
class FaultToleranceIT {

    @Test
    void aBurstOf500BookingsSurvivesEveryGoogleFaultAndSyncsOnceGoogleRecovers() throws Exception {
        try (var target = EmbeddedTarget.builder().withServerSetting(ServerConfig.CALENDAR_HTTP_TIMEOUT_MS, "500").start()) {
            var fx = Fixtures.forTarget(target.target());
            var mock = wireMock(target.target());
            var clinic = fx.seed().clinic("Google faults").insert();
            Member provider = fx.seed().provider(clinic).insert();
            String token = fx.tokens().forUser(clinic.admin()).sign();
            var faults = Map.of(
                    "F500", aResponse().withStatus(500),
                    "F429", aResponse().withStatus(429).withHeader("Retry-After", "1"),
                    "FHANG", aResponse().withStatus(200).withBody("{}").withFixedDelay(2_000),
                    "FRESET", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                    "FJUNK", aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{not json"));
            var stubs = new ArrayList<com.github.tomakehurst.wiremock.stubbing.StubMapping>();
            faults.forEach((marker, response) -> {
                var stub = post(urlPathMatching(GoogleCalendarMock.EVENTS_PATH)).atPriority(1)
                        .withRequestBody(containing(marker)).willReturn(response).build();
                mock.register(stub);
                stubs.add(stub);
            });
            var markers = List.copyOf(faults.keySet());

            var burst = race(500, 8, i -> fx.api().book(provider).at(Slots.fresh())
                    .patient("Patient " + markers.get(i % markers.size()) + " " + i, "burst@example.test").send(token));

            assertThat(burst.statuses()).as("answers during the Google faults").containsOnly(200);
            assertThat(burst.slowest()).as("the slowest booking (seed budget 500 ms x 3)").isLessThan(Duration.ofMillis(1_500));
            Set<String> booked = burst.appointmentIds();
            assertThat(booked).as("distinct bookings answered").hasSize(500);
            assertThat(fx.database().count("select count(*) from public.appointments where provider_id = ?", provider.id()))
                    .as("bookings stored").isEqualTo(500);

            stubs.forEach(mock::removeStubMapping);
            await("every booking synced once Google recovers").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(fx.database().count("select count(*) from public.calendar_events c join "
                            + "public.appointments a on a.id = c.appointment_id where a.provider_id = ? and c.status = 'synced'",
                            provider.id())).isEqualTo(500));
            var sentIds = new HashSet<String>();
            for (var request : mock.find(postRequestedFor(urlPathMatching(GoogleCalendarMock.EVENTS_PATH)))) {
                sentIds.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(request.getBodyAsString()).path("id").asText());
            }
            var expected = new HashSet<String>();
            booked.forEach(id -> expected.add(id.replace("-", "")));
            assertThat(sentIds).as("event ids sent to Google: one per booking, derived from it, so a retry cannot "
                    + "insert a second event").isEqualTo(expected);
        }
    }

    @Test
    void theServerRidesOutTerminatedBackendsAndARefusingDatabaseWithoutARestart() throws Exception {
        try (var target = EmbeddedTarget.start()) {
            var fx = Fixtures.forTarget(target.target());
            var clinic = fx.seed().clinic("Database faults").insert();
            Member provider = fx.seed().provider(clinic).insert();
            String token = fx.tokens().forUser(clinic.admin()).sign();
            String database = target.database().orElseThrow().name();
            var admin = target.database().orElseThrow().url().withDatabase("postgres");
            var pool = Executors.newSingleThreadExecutor();
            Future<Long> outage = pool.submit(() -> {
                Thread.sleep(1_500);
                long terminated;
                try (var connection = admin.connect(); var statement = connection.createStatement()) {
                    statement.execute("alter database \"" + database + "\" allow_connections false");
                    try (var rows = statement.executeQuery("select count(pg_terminate_backend(pid)) from pg_stat_activity "
                            + "where datname = '" + database + "' and pid <> pg_backend_pid()")) {
                        rows.next();
                        terminated = rows.getLong(1);
                    }
                    Thread.sleep(3_000);
                    statement.execute("alter database \"" + database + "\" allow_connections true");
                }
                return terminated;
            });

            var burst = race(300, 4, i -> {
                sleepQuietly(20);
                return fx.api().book(provider).at(Slots.fresh()).send(token);
            });
            long terminated = outage.get(60, TimeUnit.SECONDS);
            pool.shutdown();

            assertThat(terminated).as("backends terminated mid-burst").isPositive();
            assertThat(burst.statuses()).as("answers while the database was cut off: 503 allowed, never 500")
                    .allMatch(s -> s == 200 || s == 503);
            assertThat(fx.database().count("select count(*) from public.appointments a where a.provider_id = ? and not exists "
                    + "(select 1 from public.calendar_events c where c.appointment_id = a.id)", provider.id()))
                    .as("appointments without their outbox row (half-written)").isZero();
            for (String id : burst.appointmentIds()) {
                assertThat(fx.database().count("select count(*) from public.appointments where id = ?::uuid", id))
                        .as("a 200 answered for %s but no row", id).isEqualTo(1);
            }
            await("bookings succeed again without a restart").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .until(() -> fx.api().book(provider).at(Slots.fresh()).send(token).status() == 200);
        }
    }

    @Test
    void twoServerProcessesOnOneDatabaseNeverDoubleBookUnder2000OverlappingAttempts() throws Exception {
        var mockServer = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        mockServer.start();
        new GoogleCalendarMock(MockAdmin.at(URI.create(mockServer.baseUrl()))).accepts();
        // one project, two replicas: both sign and verify with the same ES256 key
        String signingKey = clinic.conformance.server.auth.SigningKey.generateEs256();
        var processes = new ArrayList<Process>();
        try (var database = new DatabaseProvisioner(Optional.empty(), false).provision()) {
            var urls = new ArrayList<URI>();
            for (int i = 0; i < 2; i++) {
                int port = freePort();
                var builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), ReferenceServer.class.getName())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
                builder.environment().putAll(Map.of(ServerConfig.PORT, Integer.toString(port),
                        ServerConfig.DATABASE_URL, database.url().jdbcUrl(), ServerConfig.JWT_SIGNING_KEY, signingKey,
                        ServerConfig.GOOGLE_CALENDAR_BASE_URL, mockServer.baseUrl(), ServerConfig.DATABASE_POOL_SIZE, "8",
                        ServerConfig.VAPI_REFUSALS, "status"));
                processes.add(builder.start());
                urls.add(URI.create("http://127.0.0.1:" + port));
            }
            var fixtures = new ArrayList<Fixtures>();
            for (URI url : urls) {
                fixtures.add(Fixtures.forTarget(new Target(url, database.url(),
                        new TargetAuth(TargetAuth.defaultAuthUrl(url), Optional.empty(), Optional.of(signingKey), Optional.empty()),
                        Optional.empty(), "process " + url)));
                await("server " + url + " answers").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> fixtures.get(fixtures.size() - 1).api().get("/health", "x").status() == 200);
            }
            var fx = fixtures.get(0);
            var clinic = fx.seed().clinic("Two processes").insert();
            List<Member> providers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                providers.add(fx.seed().provider(clinic).insert());
            }
            String token = fx.tokens().forUser(clinic.admin()).sign();
            List<OffsetDateTime> baseSlots = Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 20; i++) {
                baseSlots.add(Slots.fresh());
            }
            var random = new Random(42);
            int[] offsets = random.ints(2_000, -20, 21).toArray();
            int[] durations = random.ints(2_000, 0, 3).map(d -> 15 * (d + 1)).toArray();

            var race = race(2_000, 16, i -> fixtures.get(i % 2).api().book(providers.get(i % 5))
                    .at(baseSlots.get((i / 5) % 20).plusMinutes(offsets[i])).minutes(durations[i]).send(token));

            assertThat(race.statuses()).as("answers to 2,000 overlapping attempts").containsOnly(200, 409);
            assertThat(race.countOf(200)).as("bookings that won a slot").isBetween(100L, 1_000L);
            long doubleBooked = fx.database().count("""
                    select count(*) from public.appointments a join public.appointments b
                      on a.provider_id = b.provider_id and a.id < b.id
                     and a.status = 'booked' and b.status = 'booked'
                     and tstzrange(a.scheduled_at, a.scheduled_at + make_interval(mins => a.duration_minutes), '[)')
                      && tstzrange(b.scheduled_at, b.scheduled_at + make_interval(mins => b.duration_minutes), '[)')""");
            assertThat(doubleBooked).as("overlapping pairs over the whole table").isZero();
            assertThat(fx.database().count("select count(*) from public.appointments")).as("rows stored")
                    .isEqualTo(race.countOf(200));

            // a backend reports its deadlocks to pg_stat_database when it exits, so stop the servers first
            stop(processes);
            await("the servers' connections are closed").atMost(Duration.ofSeconds(30)).until(() -> fx.database().count(
                    "select count(*) from pg_stat_activity where datname = current_database() and application_name = ?",
                    Database.APPLICATION_NAME) == 0);
            assertThat(fx.database().count("select deadlocks from pg_stat_database where datname = current_database()"))
                    .as("deadlocks among overlapping bookings (they queue on advisory locks instead)").isZero();
        } finally {
            stop(processes);
            mockServer.stop();
        }
    }

    private static void stop(List<Process> processes) throws InterruptedException {
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static WireMock wireMock(Target target) {
        URI url = target.mockUrl().orElseThrow();
        return new WireMock(url.getHost(), url.getPort());
    }

    /** n calls over a fixed pool; each answer with how long it took. */
    private static Burst race(int n, int threads, IntFunction<ApiResponse> call) throws Exception {
        var pool = Executors.newFixedThreadPool(threads);
        try {
            var futures = new ArrayList<Future<Timed>>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    long start = System.nanoTime();
                    ApiResponse response = call.apply(index);
                    return new Timed(response, Duration.ofNanos(System.nanoTime() - start));
                }));
            }
            var answers = new ArrayList<Timed>();
            for (var future : futures) {
                answers.add(future.get(5, TimeUnit.MINUTES));
            }
            return new Burst(answers);
        } finally {
            pool.shutdownNow();
        }
    }

    private record Timed(ApiResponse response, Duration took) {
    }

    private record Burst(List<Timed> answers) {
        List<Integer> statuses() {
            return answers.stream().map(a -> a.response().status()).toList();
        }

        long countOf(int status) {
            return answers.stream().filter(a -> a.response().status() == status).count();
        }

        Duration slowest() {
            return answers.stream().map(Timed::took).max(Duration::compareTo).orElse(Duration.ZERO);
        }

        Set<String> appointmentIds() {
            var ids = ConcurrentHashMap.<String>newKeySet();
            answers.stream().filter(a -> a.response().status() == 200).forEach(a -> ids.add(a.response().appointmentId()));
            return ids;
        }
    }

    private static int freePort() throws java.io.IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
