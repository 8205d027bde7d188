package clinic.conformance.server.calendar;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL for the {@code calendar_events} outbox: one row per appointment, retried until Google has the event
 * ({@code pending} → {@code synced}, or {@code failed} when Google refuses it for good), and after a cancellation until
 * Google no longer has it ({@code deleting} → {@code deleted}, or {@code failed}).
 */
public class CalendarOutbox {

    /** A due row claimed by the worker, with what Google needs to know about its appointment. */
    public record Due(UUID appointmentId, String eventId, String calendarId, int attempts, String summary,
                      OffsetDateTime start, OffsetDateTime end, boolean deletion) {
    }

    /** Adds the outbox row in the booking's own transaction; the worker leaves it alone for {@code hold}. */
    public void enqueue(Connection connection, UUID orgId, UUID appointmentId, String eventId, String calendarId,
                        Duration hold) throws SQLException {
        try (var statement = connection.prepareStatement("insert into public.calendar_events "
                + "(org_id, appointment_id, google_event_id, calendar_id, next_attempt_at) "
                + "values (?, ?, ?, ?, now() + make_interval(secs => ?))")) {
            statement.setObject(1, orgId);
            statement.setObject(2, appointmentId);
            statement.setString(3, eventId);
            statement.setString(4, calendarId);
            statement.setDouble(5, hold.toMillis() / 1000.0);
            statement.executeUpdate();
        }
    }

    /**
     * In the cancellation's own transaction: Google's copy of the event is to go — at once where the insert is settled,
     * and not before a pending insert's first attempt had its chance ({@code next_attempt_at} is kept when later), so a
     * delete never overtakes the insert it undoes.
     */
    public void cancel(Connection connection, UUID appointmentId) throws SQLException {
        try (var statement = connection.prepareStatement("update public.calendar_events set status = 'deleting', "
                + "attempts = 0, last_error = null, next_attempt_at = case when status = 'pending' "
                + "then greatest(next_attempt_at, now()) else now() end, updated_at = now() "
                + "where appointment_id = ? and status <> 'deleted'")) {
            statement.setObject(1, appointmentId);
            statement.executeUpdate();
        }
    }

    public Optional<SyncStatus> status(Connection connection, UUID appointmentId) throws SQLException {
        try (var statement = connection.prepareStatement("select google_event_id, status, synced_at, html_link "
                + "from public.calendar_events where appointment_id = ?")) {
            statement.setObject(1, appointmentId);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SyncStatus(rows.getString(1), rows.getString(2),
                        rows.getObject(3, OffsetDateTime.class), rows.getString(4)));
            }
        }
    }

    /** Claims up to {@code limit} due rows, pushing their next attempt out by {@code lease} so no one else takes them. */
    public List<Due> claimDue(Connection connection, int limit, Duration lease, UUID[] skipped) throws SQLException {
        String sql = """
                with due as (
                  select id from public.calendar_events
                  where status in ('pending', 'deleting') and next_attempt_at <= now()
                    and not (appointment_id = any(?))
                  order by next_attempt_at limit ? for update skip locked),
                claimed as (
                  update public.calendar_events c
                  set next_attempt_at = now() + make_interval(secs => ?), updated_at = now()
                  from due where c.id = due.id
                  returning c.appointment_id, c.google_event_id, c.calendar_id, c.attempts, c.status)
                select claimed.*, a.patient_name, a.scheduled_at, a.ends_at
                from claimed join public.appointments a on a.id = claimed.appointment_id""";
        try (var statement = connection.prepareStatement(sql)) {
            statement.setObject(1, skipped);
            statement.setInt(2, limit);
            statement.setDouble(3, lease.toMillis() / 1000.0);
            var due = new ArrayList<Due>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    due.add(new Due(rows.getObject("appointment_id", UUID.class), rows.getString("google_event_id"),
                            rows.getString("calendar_id"), rows.getInt("attempts"),
                            "Appointment: " + rows.getString("patient_name"),
                            rows.getObject("scheduled_at", OffsetDateTime.class),
                            rows.getObject("ends_at", OffsetDateTime.class), "deleting".equals(rows.getString("status"))));
                }
            }
            return due;
        }
    }

    /** Records one attempt's outcome; returns the row's status afterwards. */
    public SyncStatus record(Connection connection, UUID appointmentId, CalendarResult result, Duration retryIn)
            throws SQLException {
        apply(connection, appointmentId, result, retryIn, null);
        return status(connection, appointmentId).orElseThrow();
    }

    /** Records one attempt's outcome; a synced row keeps {@code syncedAt} where given (the time its booking answered). */
    public void apply(Connection connection, UUID appointmentId, CalendarResult result, Duration retryIn,
                      OffsetDateTime syncedAt) throws SQLException {
        if (result instanceof CalendarResult.Removed) {
            update(connection, "status = 'deleted', attempts = attempts + 1, last_error = null", "'deleting'", appointmentId);
        } else if (result instanceof CalendarResult.Inserted inserted) {
            // an insert that lands after a cancellation leaves the row deleting: the delete still comes
            update(connection, "status = 'synced', attempts = attempts + 1, synced_at = coalesce(synced_at, ?, now()), "
                    + "html_link = coalesce(?, html_link), last_error = null", "'pending'", syncedAt, inserted.htmlLink(),
                    appointmentId);
        } else if (result instanceof CalendarResult.AlreadyExists) {
            update(connection, "status = 'synced', attempts = attempts + 1, synced_at = coalesce(synced_at, ?, now()), "
                    + "last_error = null", "'pending'", syncedAt, appointmentId);
        } else if (result instanceof CalendarResult.Retryable retryable) {
            update(connection, "attempts = attempts + 1, last_error = ?, next_attempt_at = now() + make_interval(secs => ?)",
                    "'pending', 'deleting'", retryable.reason(), retryIn.toMillis() / 1000.0, appointmentId);
        } else if (result instanceof CalendarResult.Rejected rejected) {
            update(connection, "status = 'failed', attempts = attempts + 1, last_error = ?", "'pending', 'deleting'",
                    rejected.reason(), appointmentId);
        }
    }

    private static void update(Connection connection, String set, String fromStatuses, Object... parameters)
            throws SQLException {
        try (var statement = connection.prepareStatement("update public.calendar_events set " + set
                + ", updated_at = now() where appointment_id = ? and status in (" + fromStatuses + ")")) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
