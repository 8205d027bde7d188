package clinic.conformance.scenarios.booking;

import static clinic.conformance.fixtures.assertions.AppointmentShape.assertBooked;
import static clinic.conformance.fixtures.assertions.AppointmentShape.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.conformance.fixtures.ConformanceTest;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.fixtures.seed.Clinic;
import clinic.conformance.fixtures.seed.Member;
import clinic.conformance.fixtures.timing.LatencyChart;
import clinic.conformance.fixtures.timing.LatencyTimer;
import clinic.conformance.fixtures.vapi.ApiResponse;
import clinic.conformance.fixtures.vapi.BookingCall;
import clinic.conformance.scenarios.Budgets;
import io.qameta.allure.AllureId;
import io.qameta.allure.Feature;
import io.qameta.allure.Severity;
import io.qameta.allure.SeverityLevel;
import io.qameta.allure.Story;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@ConformanceTest
@DisplayName("S2 Live booking chain")
@Tag("S2")
@Feature("S2 Live booking chain")
class LiveBookingChainTests {
    private static final int RACE_ROUNDS = 10;
    private final Fixtures fx;
    private Clinic clinicA;
    private Clinic clinicB;
    private Member providerA;
    private Member providerB;
    private String tokenA;

    LiveBookingChainTests(Fixtures fixtures) {
        this.fx = fixtures;
    }

    @BeforeAll
    void seedTwoClinics() {
        clinicA = fx.seed().clinic("Clinic A").insert();
        clinicB = fx.seed().clinic("Clinic B").insert();
        providerA = fx.seed().provider(clinicA).insert();
        providerB = fx.seed().provider(clinicB).insert();
        tokenA = fx.tokens().of(clinicA.admin());
    }

    @AfterAll
    void cleanUp() {
        fx.seed().cleanUp(clinicA, clinicB);
    }

    @Test
    @AllureId("S2.1")
    @Story("Booking")
    @Severity(SeverityLevel.BLOCKER)
    void bookingSucceedsIsStoredAndSyncedToGoogle() {
        var calendar = fx.calendarOrSkip();
        var call = fx.api().book(providerA);

        var timed = LatencyTimer.time(() -> call.send(tokenA));

        assertBooked(timed.value(), call.toolCallId());
        LatencyChart.attach("booking, full HTTP flow", timed.elapsed(), Budgets.SEED_BOOKING, Budgets.BOOKING_CHECK);
        assertThat(timed.elapsed()).as("booking latency (seed budget %s x %d)", Budgets.SEED_BOOKING, Budgets.MARGIN)
                .isLessThan(Budgets.BOOKING_CHECK);
        String id = timed.value().appointmentId();
        String eventId = timed.value().eventId();
        assertThat(storedAppointment(id)).as("the stored row").containsEntry("status", "booked")
                .containsEntry("provider_id", providerA.id());
        await("Google Calendar receives event " + eventId).atMost(Budgets.EVENTUALLY)
                .untilAsserted(() -> assertThat(calendar.insertsOf(eventId)).as("events.insert calls").isNotEmpty());
        var sent = calendar.insertsOf(eventId).get(0).body();
        assertThat(sent).as("the event sent to Google carries the appointment's start")
                .contains(OffsetDateTime.parse(call.argument("scheduled_at")).toLocalDate().toString());
        await("calendar_events row for " + id + " is synced").atMost(Budgets.EVENTUALLY)
                .untilAsserted(() -> assertThat(fx.database().rows(
                        "select status from public.calendar_events where appointment_id = ?::uuid", id))
                        .as("calendar_events rows").singleElement().extracting(row -> row.get("status")).isEqualTo("synced"));
    }

    @Test
    @AllureId("S2.2")
    @Story("Conflicts")
    @Severity(SeverityLevel.BLOCKER)
    void overlappingBookingsAreRefused() {
        OffsetDateTime nine = BookingCall.freshSlot();
        var firstCall = fx.api().book(providerA).at(nine).minutes(30);
        var first = firstCall.send(tokenA);
        assertBooked(first, firstCall.toolCallId());
        Map<String, Object> before = storedAppointment(first.appointmentId());

        assertConflict("overlapping its end (09:15-09:45)", nine.plusMinutes(15), 30);
        assertConflict("overlapping its start (08:45-09:15)", nine.minusMinutes(15), 30);
        assertConflict("containing it (08:50-09:50)", nine.minusMinutes(10), 60);
        assertConflict("inside it (09:05-09:15)", nine.plusMinutes(5), 10);
        assertConflict("equal to it (09:00-09:30)", nine, 30);

        assertThat(storedAppointment(first.appointmentId())).as("the first booking after the refusals").isEqualTo(before);
        assertThat(bookingsOf(providerA, nine.minusHours(2), nine.plusHours(2))).as("rows around the slot").isEqualTo(1);

        OffsetDateTime later = BookingCall.freshSlot();
        var longFirst = fx.api().book(providerA).at(later.plusMinutes(15)).minutes(30).send(tokenA);
        assertThat(longFirst.status()).as("reverse order: the later booking first, %s", longFirst).isEqualTo(200);
        assertConflict("reverse order (09:00-09:30 after 09:15-09:45)", later, 30);
    }

    @Test
    @AllureId("S2.3")
    @Story("Conflicts")
    @Severity(SeverityLevel.CRITICAL)
    void adjacentAppointmentsBothSucceed() {
        OffsetDateTime ten = BookingCall.freshSlot().plusHours(1);

        var first = fx.api().book(providerA).at(ten).minutes(30).send(tokenA);
        var second = fx.api().book(providerA).at(ten.plusMinutes(30)).minutes(30).send(tokenA);
        var before = fx.api().book(providerA).at(ten.minusMinutes(30)).minutes(30).send(tokenA);

        assertThat(first.status()).as("10:00-10:30: %s", first).isEqualTo(200);
        assertThat(second.status()).as("10:30-11:00, touching the end: %s", second).isEqualTo(200);
        assertThat(before.status()).as("09:30-10:00, touching the start: %s", before).isEqualTo(200);
        assertThat(bookingsOf(providerA, ten.minusHours(1), ten.plusHours(2))).as("rows stored").isEqualTo(3);
    }

    @Test
    @AllureId("S2.4")
    @Story("Tenant isolation")
    @Severity(SeverityLevel.BLOCKER)
    void anotherClinicsSlotIsForbiddenAndAudited() {
        OffsetDateTime started = OffsetDateTime.now().minusSeconds(5);
        var call = fx.api().book(providerB);

        var response = call.send(tokenA);

        assertRefused(response, 403, "forbidden");
        assertThat(response.body()).as("the refusal carries nothing of Clinic B")
                .doesNotContain(providerB.id().toString()).doesNotContain(clinicB.name());
        assertThat(fx.database().count("select count(*) from public.appointments where org_id = ? or vapi_tool_call_id = ?",
                clinicB.id(), call.toolCallId())).as("appointments created").isZero();
        var audit = fx.database().rows("select action, status from public.audit_log where actor_id = any(?) and "
                + "target_org_id = ? and created_at >= ?", fx.api().actorsOf(clinicA.admin()), clinicB.id(), started);
        assertThat(audit).as("audit rows for the refused attempt (actor A, target org B)").isNotEmpty();
        assertThat(audit.get(0).get("action")).as("audit action").asString().isNotBlank();
        assertThat(audit.get(0).get("status")).as("audit status").asString().isNotBlank();
    }

    @Test
    @AllureId("S2.5")
    @Story("Concurrency")
    @Severity(SeverityLevel.BLOCKER)
    @DisplayName("S2.5 concurrent requests for one slot: exactly one 200, the rest 409, one row")
    void concurrentRequestsForOneSlotBookExactlyOnce() {
        // warm keep-alive connections and several rounds: one race on 2 cores does not always interleave
        for (int round = 1; round <= RACE_ROUNDS; round++) {
            OffsetDateTime slot = BookingCall.freshSlot();

            var race = ConcurrentCalls.race(20, fx.api()::warm, i -> fx.api().book(providerA).at(slot).minutes(30)
                    .patient("Racer " + i, "racer" + i + "@example.test").sendDirect(tokenA));

            assertThat(race.countOf(200)).as("round %d: 200 answers among %s", round, race.statuses()).isEqualTo(1);
            assertThat(race.countOf(409)).as("round %d: 409 answers among %s", round, race.statuses()).isEqualTo(19);
            assertThat(bookingsOf(providerA, slot.minusHours(1), slot.plusHours(1))).as("round %d: rows for the slot", round)
                    .isEqualTo(1);
        }
    }

    @Test
    @AllureId("S2.5")
    @Story("Concurrency")
    @Severity(SeverityLevel.BLOCKER)
    @DisplayName("S2.5 concurrent replays of one toolCallId: every answer is the same booking, one row")
    void concurrentReplaysOfOneToolCallBookOnce() {
        OffsetDateTime slot = BookingCall.freshSlot();
        String toolCallId = "call_shared_" + UUID.randomUUID();

        var race = ConcurrentCalls.race(20, i -> fx.api().book(providerA).at(slot).toolCallId(toolCallId).send(tokenA));

        assertThat(race.countOf(200)).as("200 answers among %s", race.statuses()).isEqualTo(20);
        assertThat(race.responses().stream().map(ApiResponse::appointmentId).distinct())
                .as("appointment ids answered").hasSize(1);
        assertThat(fx.database().count("select count(*) from public.appointments where vapi_tool_call_id = ?", toolCallId))
                .as("rows for toolCallId %s", toolCallId).isEqualTo(1);
    }

    @Test
    @AllureId("S2.6")
    @Story("Validation")
    @Severity(SeverityLevel.CRITICAL)
    void unknownProviderIsNotFound() {
        Member staffA = fx.seed().staff(clinicA).insert();
        var unknown = fx.api().book(providerA).withProvider(UUID.randomUUID());
        var foreign = fx.api().book(providerA).withProvider(providerB.id());
        var notAProvider = fx.api().book(providerA).withProvider(staffA.id());

        assertRefused(unknown.send(tokenA), 404, "provider_not_found", "not_found");
        var foreignResponse = foreign.send(tokenA);
        assertRefused(foreignResponse, 404, "provider_not_found", "not_found");
        assertThat(foreignResponse.body()).as("existence never leaks").doesNotContain(clinicB.name());
        assertRefused(notAProvider.send(tokenA), 404, "provider_not_found", "not_found");
        assertThat(fx.database().count("select count(*) from public.appointments where vapi_tool_call_id in (?, ?, ?)",
                unknown.toolCallId(), foreign.toolCallId(), notAProvider.toolCallId())).as("rows created").isZero();
    }

    @Test
    @AllureId("S2.7")
    @Story("Authentication")
    @Severity(SeverityLevel.BLOCKER)
    void missingOrGarbledAuthorizationIsUnauthorized() {
        var token = fx.tokens().forUser(clinicA.admin());
        var attempts = Map.of(
                "no header", fx.api().book(providerA),
                "garbage token", fx.api().book(providerA),
                "Basic scheme", fx.api().book(providerA),
                "wrong key", fx.api().book(providerA),
                "alg none", fx.api().book(providerA),
                "expired", fx.api().book(providerA));

        assertRefused(attempts.get("no header").sendWithoutAuthorization(), 401, "unauthorized");
        assertRefused(attempts.get("garbage token").sendWithAuthorization("Bearer not.a.jwt"), 401, "unauthorized");
        assertRefused(attempts.get("Basic scheme").sendWithAuthorization("Basic dXNlcjpwYXNz"), 401, "unauthorized");
        assertRefused(attempts.get("wrong key").send(token.signWith("a-different-secret-of-at-least-32-bytes!!")),
                401, "unauthorized");
        assertRefused(attempts.get("alg none").send(token.unsigned()), 401, "unauthorized");
        assertRefused(attempts.get("expired").send(fx.tokens().forUser(clinicA.admin())
                .expiredFor(Duration.ofMinutes(5)).sign()), 401, "unauthorized");

        String[] ids = attempts.values().stream().map(BookingCall::toolCallId).toArray(String[]::new);
        assertThat(fx.database().count("select count(*) from public.appointments where vapi_tool_call_id = any(?)",
                (Object) ids)).as("rows created").isZero();
    }

    @Test
    @AllureId("S2.8")
    @Story("Booking")
    @Severity(SeverityLevel.CRITICAL)
    void everyFieldIsStoredAndReturned() {
        OffsetDateTime slot = BookingCall.freshSlot().withOffsetSameInstant(java.time.ZoneOffset.ofHours(2));
        var call = fx.api().book(providerA).at(slot).minutes(45)
                .patient("Zoë O'Brien-Łukasz \"Zo\"", "zoe.obrien+clinic@example.test")
                .shaped(BookingCall.Shape.NESTED_STRING);

        var response = call.send(tokenA);

        assertBooked(response, call.toolCallId());
        var returned = response.json();
        assertThat(returned.getString("appointment.org_id")).as("org_id").isEqualTo(clinicA.id().toString());
        assertThat(returned.getString("appointment.clinic_id")).as("clinic_id").isEqualTo(clinicA.id().toString());
        assertThat(returned.getString("appointment.provider_id")).as("provider_id").isEqualTo(providerA.id().toString());
        assertThat(returned.getString("appointment.patient_name")).as("patient_name").isEqualTo(call.argument("patient_name"));
        assertThat(returned.getString("appointment.patient_email")).as("patient_email").isEqualTo(call.argument("patient_email"));
        assertThat(OffsetDateTime.parse(returned.getString("appointment.scheduled_at")).toInstant())
                .as("scheduled_at").isEqualTo(slot.toInstant());
        assertThat(returned.getInt("appointment.duration_minutes")).as("duration_minutes").isEqualTo(45);

        var row = storedAppointment(response.appointmentId());
        assertThat(row).as("stored row")
                .containsEntry("org_id", clinicA.id())
                .containsEntry("clinic_id", clinicA.id())
                .containsEntry("provider_id", providerA.id())
                .containsEntry("patient_name", call.argument("patient_name"))
                .containsEntry("patient_email", call.argument("patient_email"))
                .containsEntry("duration_minutes", 45)
                .containsEntry("status", "booked")
                .containsEntry("vapi_call_id", call.callId())
                .containsEntry("vapi_tool_call_id", call.toolCallId())
                .containsEntry("google_calendar_event_id", response.eventId());
        assertThat(((java.sql.Timestamp) row.get("scheduled_at")).toInstant()).as("stored scheduled_at")
                .isEqualTo(slot.toInstant());

        var flat = fx.api().book(providerA).shaped(BookingCall.Shape.FLAT_OBJECT);
        assertBooked(flat.send(tokenA), flat.toolCallId());
    }

    private void assertConflict(String arrangement, OffsetDateTime start, int minutes) {
        var response = fx.api().book(providerA).at(start).minutes(minutes).send(tokenA);
        assertThat(response.status()).as("%s: %s", arrangement, response).isEqualTo(409);
        assertThat(response.errorCode()).as("%s: error.code", arrangement).isEqualTo("slot_conflict");
    }

    private Map<String, Object> storedAppointment(String id) {
        var rows = fx.database().rows("select org_id, clinic_id, provider_id, patient_name, patient_email, scheduled_at, "
                + "duration_minutes, status, google_calendar_event_id, vapi_call_id, vapi_tool_call_id "
                + "from public.appointments where id = ?::uuid", id);
        assertThat(rows).as("appointment %s in the database", id).hasSize(1);
        return rows.get(0);
    }

    private long bookingsOf(Member provider, OffsetDateTime from, OffsetDateTime to) {
        return fx.database().count("select count(*) from public.appointments where provider_id = ? and status = 'booked' "
                + "and scheduled_at >= ? and scheduled_at < ?", provider.id(), from, to);
    }
}
