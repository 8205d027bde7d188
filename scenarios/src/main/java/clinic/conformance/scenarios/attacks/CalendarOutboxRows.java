package clinic.conformance.scenarios.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.fixtures.Fixtures;
import java.util.Map;

/** The {@code calendar_events} outbox row of one appointment, as the contract names its columns (§1, §2). */
final class CalendarOutboxRows {
    private CalendarOutboxRows() {
    }

    static Map<String, Object> of(Fixtures fx, String appointmentId) {
        var rows = fx.database().rows("select status, attempts, updated_at, next_attempt_at from public.calendar_events "
                + "where appointment_id = ?::uuid", appointmentId);
        assertThat(rows).as("calendar_events rows of %s", appointmentId).hasSize(1);
        return rows.get(0);
    }

    static String status(Fixtures fx, String appointmentId) {
        return String.valueOf(of(fx, appointmentId).get("status"));
    }
}
