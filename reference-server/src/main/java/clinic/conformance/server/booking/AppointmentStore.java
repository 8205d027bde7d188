package clinic.conformance.server.booking;

import clinic.conformance.server.auth.Claims;
import clinic.conformance.server.calendar.SyncStatus;
import clinic.conformance.server.db.Database;
import clinic.conformance.server.http.ApiError;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for appointments; every method but {@link #book} runs on a connection already set to the caller's claims. */
public class AppointmentStore {
    protected static final String COLUMNS = "id, org_id, clinic_id, provider_id, patient_name, patient_email, "
            + "scheduled_at, duration_minutes, status, google_calendar_event_id, vapi_call_id, vapi_tool_call_id, created_at";

    /** Contract §1: a replayed toolCallId returns the first result. */
    public Optional<Appointment> findByToolCall(Connection connection, UUID orgId, String toolCallId) throws SQLException {
        try (var statement = connection.prepareStatement(
                "select " + COLUMNS + " from public.appointments where org_id = ? and vapi_tool_call_id = ?")) {
            statement.setObject(1, orgId);
            statement.setString(2, toolCallId);
            return first(statement);
        }
    }

    public Optional<Appointment> findById(Connection connection, UUID id) throws SQLException {
        try (var statement = connection.prepareStatement("select " + COLUMNS + " from public.appointments where id = ?")) {
            statement.setObject(1, id);
            return first(statement);
        }
    }

    /** Cancels a booked appointment the caller can see; empty when there is none. */
    public Optional<Appointment> cancel(Connection connection, UUID id) throws SQLException {
        try (var statement = connection.prepareStatement("update public.appointments set status = 'cancelled' "
                + "where id = ? and status = 'booked' returning " + COLUMNS)) {
            statement.setObject(1, id);
            return first(statement);
        }
    }

    /** The org an appointment belongs to, whoever asks (run as the service, never shown to the caller). */
    public Optional<UUID> orgOf(Connection connection, UUID id) throws SQLException {
        try (var statement = connection.prepareStatement("select org_id from public.appointments where id = ?")) {
            statement.setObject(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    public List<Appointment> listBetween(Connection connection, OffsetDateTime from, OffsetDateTime to) throws SQLException {
        try (var statement = connection.prepareStatement("select " + COLUMNS + " from public.appointments "
                + "where scheduled_at >= ? and scheduled_at < ? order by scheduled_at limit 500")) {
            statement.setObject(1, from);
            statement.setObject(2, to);
            var found = new ArrayList<Appointment>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(read(rows));
                }
            }
            return found;
        }
    }

    /**
     * The whole booking in one statement and one round trip ({@code public.book_appointment}, run as the caller): the
     * replay of an earlier toolCallId (its first result), the provider check (404), the slot's locks, the INSERT (the
     * exclusion constraint refuses an overlap with SQLSTATE 23P01) and its outbox row, which the worker leaves to the
     * first attempt for {@code firstAttemptHold}. Subclasses in the project's mutant targets book in separate steps.
     */
    public BookingOutcome book(Database database, Claims claims, NewAppointment booking, String calendarId,
                               Duration firstAttemptHold) throws SQLException {
        var args = booking.arguments();
        return database.asUserInOneRoundTrip(claims,
                "select * from public.book_appointment(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (statement, at) -> {
                    statement.setObject(at, booking.id());
                    statement.setObject(at + 1, args.clinicId());
                    statement.setObject(at + 2, args.providerId());
                    statement.setString(at + 3, args.patientName());
                    statement.setString(at + 4, args.patientEmail());
                    statement.setObject(at + 5, args.scheduledAt());
                    statement.setInt(at + 6, args.durationMinutes());
                    statement.setString(at + 7, booking.eventId());
                    statement.setString(at + 8, booking.callId());
                    statement.setString(at + 9, booking.toolCallId());
                    statement.setString(at + 10, calendarId);
                    statement.setInt(at + 11, (int) Math.min(Integer.MAX_VALUE, firstAttemptHold.toMillis()));
                }, rows -> {
                    if (!rows.next()) {
                        throw new SQLException("book_appointment answered no row", "XX000");
                    }
                    String outcome = rows.getString("outcome");
                    if (outcome.equals("provider_not_found")) {
                        throw ApiError.providerNotFound();
                    }
                    Appointment appointment = read(rows);
                    String event = appointment.googleCalendarEventId();
                    String sync = rows.getString("sync_status");
                    return new BookingOutcome(appointment, sync == null ? SyncStatus.pending(event)
                            : new SyncStatus(event, sync, rows.getObject("synced_at", OffsetDateTime.class),
                            rows.getString("html_link")), outcome.equals("replayed"));
                });
    }

    protected static Optional<Appointment> first(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(read(rows)) : Optional.empty();
        }
    }

    protected static Appointment read(ResultSet rows) throws SQLException {
        return new Appointment(
                rows.getObject("id", UUID.class),
                rows.getObject("org_id", UUID.class),
                rows.getObject("clinic_id", UUID.class),
                rows.getObject("provider_id", UUID.class),
                rows.getString("patient_name"),
                rows.getString("patient_email"),
                rows.getObject("scheduled_at", OffsetDateTime.class),
                rows.getInt("duration_minutes"),
                rows.getString("status"),
                rows.getString("google_calendar_event_id"),
                rows.getString("vapi_call_id"),
                rows.getString("vapi_tool_call_id"),
                rows.getObject("created_at", OffsetDateTime.class));
    }

    /** What the booking path inserts: the validated arguments plus ids chosen by the server and Vapi. */
    public record NewAppointment(UUID id, UUID orgId, BookingArguments arguments, String eventId, String callId,
                                 String toolCallId, UUID createdBy) {
    }
}
