package clinic.conformance.server.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

@DisplayName("Google event ids, Retry-After and backoff")
class EventIdsTest {
    @RepeatedTest(50)
    void anAppointmentIdBecomesAValidBase32HexEventId() {
        UUID id = UUID.randomUUID();
        String eventId = EventIds.forAppointment(id);
        assertThat(eventId).matches("^[a-v0-9]{5,1024}$").hasSize(32);
        assertThat(EventIds.forAppointment(id)).as("the same appointment, the same event id").isEqualTo(eventId);
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        assertThat(GoogleCalendarClient.parseRetryAfter("7")).contains(Duration.ofSeconds(7));
        assertThat(GoogleCalendarClient.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
        assertThat(GoogleCalendarClient.parseRetryAfter("soon")).isEmpty();
    }

    @Test
    void backoffGrowsIsCappedAndYieldsToALongerRetryAfter() {
        var backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
        assertThat(backoff.next(1, null)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(backoff.next(4, null)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
        assertThat(backoff.next(30, null)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
        assertThat(backoff.next(1, Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(20));
        assertThat(backoff.next(1, Duration.ofMinutes(5))).as("Retry-After past our own maximum still wins")
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.next(1, Duration.ofDays(2))).isEqualTo(Backoff.RETRY_AFTER_CEILING);
    }
}
