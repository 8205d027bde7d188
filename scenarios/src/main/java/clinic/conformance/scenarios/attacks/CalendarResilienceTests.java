package clinic.conformance.scenarios.attacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import clinic.conformance.fixtures.ConformanceTest;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.fixtures.seed.Clinic;
import clinic.conformance.fixtures.seed.Member;
import clinic.conformance.scenarios.Budgets;
import io.qameta.allure.AllureId;
import io.qameta.allure.Feature;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** X5: Google Calendar failing. A booking is never lost or rolled back because Google failed (contract §1). */
@ConformanceTest
@DisplayName("X5 Calendar resilience")
@Tag("extended")
@Tag("X5")
@Feature("X5 Calendar resilience")
class CalendarResilienceTests {
    private final Fixtures fx;
    private Clinic clinic;
    private Member provider;
    private String token;

    CalendarResilienceTests(Fixtures fixtures) {
        this.fx = fixtures;
    }

    @BeforeAll
    void seed() {
        clinic = fx.seed().clinic("Calendar outage").insert();
        provider = fx.seed().provider(clinic).insert();
        token = fx.tokens().of(clinic.admin());
    }

    @AfterAll
    void cleanUp() {
        fx.seed().cleanUp(clinic);
    }

    @Test
    @AllureId("X5.1")
    void aBookingStandsThroughAnOutageAndSyncsAfter() {
        var calendar = fx.calendarOrSkip();
        String marker = "Outage " + UUID.randomUUID();
        var outage = calendar.failsFor(marker, 500, null);
        String id;
        try {
            var response = fx.api().book(provider).patient(marker, "outage@example.test").send(token);
            assertThat(response.status()).as("booking while Google fails: %s", response).isEqualTo(200);
            assertThat(response.json().getString("calendar_sync.status")).as("calendar_sync.status").isEqualTo("pending");
            id = response.appointmentId();
            String eventId = response.eventId();
            await("Google is tried and fails").atMost(Budgets.EVENTUALLY)
                    .untilAsserted(() -> assertThat(calendar.insertsOf(eventId)).isNotEmpty());
            assertThat(outboxOf(id)).as("the outbox row while Google fails").containsEntry("status", "pending");
        } finally {
            outage.recover();
        }
        assertThat(fx.database().rows("select status from public.appointments where id = ?::uuid", id))
                .as("the appointment").singleElement().satisfies(row -> assertThat(row).containsEntry("status", "booked"));
        await("synced after Google recovers").atMost(Budgets.EVENTUALLY)
                .untilAsserted(() -> assertThat(outboxOf(id)).containsEntry("status", "synced"));
    }

    @Test
    @AllureId("X5.2")
    void retryAfterIsHonoured() {
        var calendar = fx.calendarOrSkip();
        String marker = "RateLimited " + UUID.randomUUID();
        var outage = calendar.failsFor(marker, 429, Duration.ofSeconds(3));
        try {
            var response = fx.api().book(provider).patient(marker, "ratelimit@example.test").send(token);
            assertThat(response.status()).as("booking while rate limited: %s", response).isEqualTo(200);
            String id = response.appointmentId();
            await("the first attempt is recorded").atMost(Budgets.EVENTUALLY)
                    .untilAsserted(() -> assertThat((Integer) outboxOf(id).get("attempts")).isPositive());
            var row = outboxOf(id);
            var wait = Duration.between((OffsetDateTime) toTime(row.get("updated_at")), (OffsetDateTime) toTime(row.get("next_attempt_at")));
            assertThat(wait).as("next_attempt_at after a 429 with Retry-After: 3").isGreaterThanOrEqualTo(Duration.ofMillis(2_900));
            assertThat(calendar.insertsOf(response.eventId())).as("attempts inside the Retry-After window").hasSize(1);
        } finally {
            outage.recover();
        }
    }

    @Test
    @AllureId("X5.3")
    void aBadRequestIsNeverRetried() throws InterruptedException {
        var calendar = fx.calendarOrSkip();
        String marker = "Refused " + UUID.randomUUID();
        var outage = calendar.failsFor(marker, 400, null);
        try {
            var response = fx.api().book(provider).patient(marker, "refused@example.test").send(token);
            assertThat(response.status()).as("booking Google refuses: %s", response).isEqualTo(200);
            await("Google is tried").atMost(Budgets.EVENTUALLY)
                    .untilAsserted(() -> assertThat(calendar.insertsOf(response.eventId())).isNotEmpty());
            Thread.sleep(3_000);
            assertThat(calendar.insertsOf(response.eventId())).as("inserts of an event Google refused with 400").hasSize(1);
            assertThat(outboxOf(response.appointmentId())).as("the outbox row").doesNotContainEntry("status", "synced");
        } finally {
            outage.recover();
        }
    }

    private Map<String, Object> outboxOf(String appointmentId) {
        return CalendarOutboxRows.of(fx, appointmentId);
    }

    private static Object toTime(Object value) {
        return value instanceof java.sql.Timestamp ts ? ts.toInstant().atOffset(java.time.ZoneOffset.UTC) : value;
    }
}
