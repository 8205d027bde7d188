package clinic.conformance.scenarios.attacks;

import static clinic.conformance.fixtures.stub.GoogleCalendarMock.Answer.BACKEND_ERROR;
import static clinic.conformance.fixtures.stub.GoogleCalendarMock.Answer.CALENDAR_USAGE_LIMITS;
import static clinic.conformance.fixtures.stub.GoogleCalendarMock.Answer.CONDITION_NOT_MET;
import static clinic.conformance.fixtures.stub.GoogleCalendarMock.Answer.DAILY_LIMIT;
import static clinic.conformance.fixtures.stub.GoogleCalendarMock.Answer.DUPLICATE;
import static clinic.conformance.fixtures.stub.GoogleCalendarMock.Answer.FORBIDDEN_FOR_NON_ORGANIZER;
import static clinic.conformance.fixtures.stub.GoogleCalendarMock.Answer.GONE;
import static clinic.conformance.fixtures.stub.GoogleCalendarMock.Answer.INSUFFICIENT_PERMISSIONS;
import static clinic.conformance.fixtures.stub.GoogleCalendarMock.Answer.INVALID_CREDENTIALS;
import static clinic.conformance.fixtures.stub.GoogleCalendarMock.Answer.NOT_FOUND;
import static clinic.conformance.fixtures.stub.GoogleCalendarMock.Answer.RATE_LIMIT;
import static clinic.conformance.fixtures.stub.GoogleCalendarMock.Answer.SERVICE_UNAVAILABLE;
import static clinic.conformance.fixtures.stub.GoogleCalendarMock.Answer.TOO_MANY_REQUESTS;
import static clinic.conformance.fixtures.stub.GoogleCalendarMock.Answer.USER_RATE_LIMIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.conformance.fixtures.ConformanceTest;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.fixtures.seed.Clinic;
import clinic.conformance.fixtures.seed.Member;
import clinic.conformance.fixtures.stub.GoogleCalendarMock.Answer;
import clinic.conformance.fixtures.stub.GoogleCalendarMock;
import clinic.conformance.fixtures.stub.MockAdmin;
import clinic.conformance.fixtures.vapi.ApiResponse;
import clinic.conformance.scenarios.Budgets;
import io.qameta.allure.AllureId;
import io.qameta.allure.Feature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * X5.4–X5.9: every answer Google's "Handle API errors" page documents for the Calendar API, in Google's exact body
 * shape, to a booking's insert and a cancellation's delete (contract §1, Google Calendar). Each check reads the
 * target's end state in the outbox ({@code calendar_events.status}) and what it sent to the mock.
 */
@ConformanceTest
@DisplayName("X5 Calendar resilience: Google's documented answers")
@Tag("extended")
@Tag("X5")
@Feature("X5 Calendar resilience")
class GoogleErrorModelTests {
    /** How long a check watches for attempts that should not come: retries of a permanent refusal or of a success. */
    private static final Duration QUIET = Duration.ofSeconds(2);
    /** At most this many attempts in {@link #QUIET} after the first: more is retrying without backoff. */
    private static final int MOST_ATTEMPTS_WITH_BACKOFF = 10;
    private final Fixtures fx;
    private Clinic clinic;
    private Member provider;
    private String token;

    GoogleErrorModelTests(Fixtures fixtures) {
        this.fx = fixtures;
    }

    @BeforeAll
    void seed() {
        clinic = fx.seed().clinic("Google's answers").insert();
        provider = fx.seed().provider(clinic).insert();
        token = fx.tokens().of(clinic.admin());
    }

    @AfterAll
    void cleanUp() {
        fx.seed().cleanUp(clinic);
    }

    /** One booking whose inserts Google answers with {@code answer}; the outage stands until recovered. */
    private record Outage(Answer answer, ApiResponse booking, GoogleCalendarMock.Outage stub) {
        String appointmentId() {
            return booking.appointmentId();
        }

        String eventId() {
            return booking.eventId();
        }
    }

    private List<Outage> bookWhileGoogleAnswers(GoogleCalendarMock calendar, Map<Answer, Duration> answers) {
        var outages = new ArrayList<Outage>();
        for (var answer : answers.entrySet()) {
            String marker = "Google " + answer.getKey().reason + " " + UUID.randomUUID();
            var stub = calendar.answersInsert(marker, answer.getKey(), answer.getValue());
            var booking = fx.api().book(provider).patient(marker, "google-answers@example.test").send(token);
            outages.add(new Outage(answer.getKey(), booking, stub));
            assertThat(booking.status()).as("booking while Google answers %s: %s", answer.getKey(), booking).isEqualTo(200);
        }
        return outages;
    }

    @Test
    @AllureId("X5.4")
    void usageLimitsAreRetriedUntilSynced() {
        var calendar = fx.calendarOrSkip();
        var answers = new LinkedHashMap<Answer, Duration>();
        answers.put(USER_RATE_LIMIT, Duration.ofSeconds(2));
        for (Answer answer : List.of(RATE_LIMIT, DAILY_LIMIT, CALENDAR_USAGE_LIMITS, TOO_MANY_REQUESTS, SERVICE_UNAVAILABLE)) {
            answers.put(answer, null);
        }
        var outages = bookWhileGoogleAnswers(calendar, answers);
        try {
            for (var outage : outages) {
                await("a second attempt after " + outage.answer()).atMost(Budgets.EVENTUALLY)
                        .untilAsserted(() -> assertThat(calendar.insertsOf(outage.eventId()))
                                .as("inserts of an event Google answered %s", outage.answer()).hasSizeGreaterThanOrEqualTo(2));
            }
            for (var outage : outages) {
                var inserts = calendar.insertsOf(outage.eventId());
                assertThat(attemptsWithin(inserts, QUIET)).as("attempts within %s of the first after %s (backoff)", QUIET,
                        outage.answer()).isLessThanOrEqualTo(MOST_ATTEMPTS_WITH_BACKOFF);
                if (answers.get(outage.answer()) != null) {
                    assertThat(Duration.between(inserts.get(0).loggedAt(), inserts.get(1).loggedAt()))
                            .as("the retry after %s with Retry-After: 2", outage.answer())
                            .isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
                }
            }
        } finally {
            outages.forEach(outage -> outage.stub().recover());
        }
        for (var outage : outages) {
            await("synced once Google lifts " + outage.answer()).atMost(Budgets.EVENTUALLY).untilAsserted(() ->
                    assertThat(CalendarOutboxRows.status(fx, outage.appointmentId())).as("outbox after %s", outage.answer())
                            .isEqualTo("synced"));
        }
    }

    @Test
    @AllureId("X5.5")
    void aDuplicateMeansSynced() throws InterruptedException {
        var calendar = fx.calendarOrSkip();
        var outage = bookWhileGoogleAnswers(calendar, only(DUPLICATE)).get(0);
        try {
            await("the outbox after 409 duplicate").atMost(Budgets.EVENTUALLY).untilAsserted(() ->
                    assertThat(CalendarOutboxRows.status(fx, outage.appointmentId())).as("outbox after 409 duplicate")
                            .isEqualTo("synced"));
            Thread.sleep(QUIET.toMillis());
            assertThat(calendar.insertsOf(outage.eventId())).as("inserts of an event Google already had").hasSize(1);
        } finally {
            outage.stub().recover();
        }
    }

    @Test
    @AllureId("X5.6")
    void aCancellationDeletesTheEvent() throws InterruptedException {
        var calendar = fx.calendarOrSkip();
        var gone = new LinkedHashMap<String, Answer>();
        var stubs = new ArrayList<GoogleCalendarMock.Outage>();
        var bookings = new ArrayList<ApiResponse>();
        try {
            for (Answer answer : new Answer[] {null, NOT_FOUND, GONE}) {
                var booking = syncedBooking(calendar);
                bookings.add(booking);
                gone.put(booking.appointmentId(), answer);
                if (answer != null) {
                    stubs.add(calendar.answersDelete(booking.eventId(), answer, null));
                }
                var cancelled = cancel(booking.appointmentId());
                assertThat(cancelled.status()).as("cancel: %s", cancelled).isEqualTo(200);
            }
            for (var booking : bookings) {
                Answer answer = gone.get(booking.appointmentId());
                String what = answer == null ? "204" : answer.toString();
                await("the event deleted (Google answered " + what + ")").atMost(Budgets.EVENTUALLY).untilAsserted(() ->
                        assertThat(CalendarOutboxRows.status(fx, booking.appointmentId()))
                                .as("outbox after the delete was answered %s", what).isEqualTo("deleted"));
                assertThat(calendar.deletesOf(booking.eventId())).as("deletes of the cancelled event").isNotEmpty();
            }
            Thread.sleep(QUIET.toMillis());
            for (var booking : bookings) {
                assertThat(calendar.deletesOf(booking.eventId())).as("deletes of an event Google answered %s",
                        gone.get(booking.appointmentId())).hasSize(1);
            }
        } finally {
            stubs.forEach(GoogleCalendarMock.Outage::recover);
        }
    }

    @Test
    @AllureId("X5.7")
    void permanentRefusalsAreNeverRetried() throws InterruptedException {
        var calendar = fx.calendarOrSkip();
        var answers = new LinkedHashMap<Answer, Duration>();
        for (Answer answer : List.of(FORBIDDEN_FOR_NON_ORGANIZER, INSUFFICIENT_PERMISSIONS, CONDITION_NOT_MET)) {
            answers.put(answer, null);
        }
        var outages = bookWhileGoogleAnswers(calendar, answers);
        try {
            for (var outage : outages) {
                await("the outbox after " + outage.answer()).atMost(Budgets.EVENTUALLY).untilAsserted(() ->
                        assertThat(CalendarOutboxRows.status(fx, outage.appointmentId()))
                                .as("outbox after %s", outage.answer()).isEqualTo("failed"));
            }
            Thread.sleep(QUIET.toMillis());
            for (var outage : outages) {
                assertThat(calendar.insertsOf(outage.eventId())).as("inserts of an event Google refused with %s",
                        outage.answer()).hasSize(1);
                assertThat(fx.database().count("select count(*) from public.appointments where id = ?::uuid and "
                        + "status = 'booked'", outage.appointmentId())).as("the booking after %s", outage.answer()).isOne();
            }
        } finally {
            outages.forEach(outage -> outage.stub().recover());
        }
    }

    @Test
    @AllureId("X5.8")
    void expiredCredentialsAreRefreshedAndRetried() {
        var calendar = fx.calendarOrSkip();
        var outage = bookWhileGoogleAnswers(calendar, only(INVALID_CREDENTIALS)).get(0);
        try {
            await("a second attempt after 401").atMost(Budgets.EVENTUALLY).untilAsserted(() ->
                    assertThat(calendar.insertsOf(outage.eventId())).as("inserts after 401").hasSizeGreaterThanOrEqualTo(2));
        } finally {
            outage.stub().recover();
        }
        await("synced once the credentials work").atMost(Budgets.EVENTUALLY).untilAsserted(() ->
                assertThat(CalendarOutboxRows.status(fx, outage.appointmentId())).as("outbox after 401").isEqualTo("synced"));
    }

    @Test
    @AllureId("X5.9")
    void aDeleteMeetsGoogleAsAnInsertDoes() throws InterruptedException {
        var calendar = fx.calendarOrSkip();
        var limited = syncedBooking(calendar);
        var failing = syncedBooking(calendar);
        var refused = syncedBooking(calendar);
        var stubs = List.of(calendar.answersDelete(limited.eventId(), RATE_LIMIT, null),
                calendar.answersDelete(failing.eventId(), BACKEND_ERROR, null),
                calendar.answersDelete(refused.eventId(), FORBIDDEN_FOR_NON_ORGANIZER, null));
        try {
            for (var booking : List.of(limited, failing, refused)) {
                var cancelled = cancel(booking.appointmentId());
                assertThat(cancelled.status()).as("cancel: %s", cancelled).isEqualTo(200);
            }
            for (var booking : List.of(limited, failing)) {
                await("a second delete").atMost(Budgets.EVENTUALLY).untilAsserted(() ->
                        assertThat(calendar.deletesOf(booking.eventId())).as("deletes through a transient answer")
                                .hasSizeGreaterThanOrEqualTo(2));
            }
            await("the refused delete marked failed").atMost(Budgets.EVENTUALLY).untilAsserted(() ->
                    assertThat(CalendarOutboxRows.status(fx, refused.appointmentId()))
                            .as("outbox after a delete refused with %s", FORBIDDEN_FOR_NON_ORGANIZER).isEqualTo("failed"));
        } finally {
            stubs.forEach(GoogleCalendarMock.Outage::recover);
        }
        for (var booking : List.of(limited, failing)) {
            await("deleted once Google recovers").atMost(Budgets.EVENTUALLY).untilAsserted(() ->
                    assertThat(CalendarOutboxRows.status(fx, booking.appointmentId())).as("outbox after the delete recovered")
                            .isEqualTo("deleted"));
        }
        Thread.sleep(QUIET.toMillis());
        assertThat(calendar.deletesOf(refused.eventId())).as("deletes of an event Google refused to delete for good").hasSize(1);
        assertThat(fx.database().count("select count(*) from public.appointments where id = ?::uuid and status = 'cancelled'",
                refused.appointmentId())).as("the cancellation stands though Google refused the delete").isOne();
    }

    private ApiResponse syncedBooking(GoogleCalendarMock calendar) {
        var booking = fx.api().book(provider).patient("Synced " + UUID.randomUUID(), "synced@example.test").send(token);
        assertThat(booking.status()).as("booking: %s", booking).isEqualTo(200);
        await("synced").atMost(Budgets.EVENTUALLY).untilAsserted(() ->
                assertThat(CalendarOutboxRows.status(fx, booking.appointmentId())).as("outbox of a booking Google accepts")
                        .isEqualTo("synced"));
        return booking;
    }

    private ApiResponse cancel(String appointmentId) {
        return fx.api().postJson("/api/appointments/" + appointmentId + "/cancel", Map.of(), token);
    }

    /** {@code answer}, without Retry-After. */
    private static Map<Answer, Duration> only(Answer answer) {
        var answers = new LinkedHashMap<Answer, Duration>();
        answers.put(answer, null);
        return answers;
    }

    private static long attemptsWithin(List<MockAdmin.Recorded> attempts, Duration window) {
        var first = attempts.get(0).loggedAt();
        return attempts.stream().filter(a -> !a.loggedAt().isAfter(first.plus(window))).count();
    }
}
