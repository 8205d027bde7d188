package clinic.conformance.server.booking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL for appointments; every method runs on a connection already set to the caller's claims. */
public class AppointmentStore {
    private static final String COLUMNS = "id, org_id, clinic_id, provider_id, patient_name, patient_email, "
            + "scheduled_at, duration_minutes, status, google_calendar_event_id, vapi_call_id, vapi_tool_call_id, created_at";
    private static final long SECONDS_PER_QUARTER = 900;

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

    /** True when the provider is a profile with role provider that this caller's RLS lets it see. */
    public boolean providerExists(Connection connection, UUID orgId, UUID providerId) throws SQLException {
        try (var statement = connection.prepareStatement(
                "select 1 from public.profiles where id = ? and org_id = ? and role = 'provider'")) {
            statement.setObject(1, providerId);
            statement.setObject(2, orgId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /**
     * Inserts the booking; the database's exclusion constraint refuses an overlap with SQLSTATE 23P01. Bookings that
     * could overlap queue first on transaction-scoped advisory locks, one per quarter hour (UTC) of the provider's time
     * that the slot touches: concurrent inserts that overlap would otherwise each see the other's uncommitted row in
     * the exclusion check and deadlock (40P01), a second each to detect. Two overlapping slots always share a quarter;
     * adjacent slots (09:00–09:30 and 09:30–10:00) share none, so a busy provider's neighbouring bookings do not wait
     * on each other (with a lock per hour they did: docs/profile.md).
     */
    public Appointment insert(Connection connection, NewAppointment booking) throws SQLException {
        lockSlot(connection, booking.arguments());
        try (var statement = connection.prepareStatement("insert into public.appointments (id, org_id, clinic_id, "
                + "provider_id, patient_name, patient_email, scheduled_at, duration_minutes, google_calendar_event_id, "
                + "vapi_call_id, vapi_tool_call_id, created_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "returning " + COLUMNS)) {
            var args = booking.arguments();
            statement.setObject(1, booking.id());
            statement.setObject(2, booking.orgId());
            statement.setObject(3, args.clinicId());
            statement.setObject(4, args.providerId());
            statement.setString(5, args.patientName());
            statement.setString(6, args.patientEmail());
            statement.setObject(7, args.scheduledAt());
            statement.setInt(8, args.durationMinutes());
            statement.setString(9, booking.eventId());
            statement.setString(10, booking.callId());
            statement.setString(11, booking.toolCallId());
            statement.setObject(12, booking.createdBy());
            return first(statement).orElseThrow();
        }
    }

    /** Serializes bookings that may overlap; the project's mutant targets override it to lock too little. */
    protected void lockSlot(Connection connection, BookingArguments slot) throws SQLException {
        lockQuartersOf(connection, slot);
    }

    /** Takes the quarters' locks in ascending order (generate_series yields them so): lockers never wait in a cycle. */
    private static void lockQuartersOf(Connection connection, BookingArguments slot) throws SQLException {
        Instant start = slot.scheduledAt().toInstant();
        Instant lastInstant = start.plus(Duration.ofMinutes(slot.durationMinutes())).minusNanos(1);
        try (var statement = connection.prepareStatement("select pg_advisory_xact_lock(hashtextextended("
                + "'appointments:' || ? || ':' || quarter, 0)) from generate_series(?::bigint, ?::bigint) as quarter")) {
            statement.setString(1, slot.providerId().toString());
            statement.setLong(2, Math.floorDiv(start.getEpochSecond(), SECONDS_PER_QUARTER));
            statement.setLong(3, Math.floorDiv(lastInstant.getEpochSecond(), SECONDS_PER_QUARTER));
            statement.executeQuery().close();
        }
    }

    private static Optional<Appointment> first(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(read(rows)) : Optional.empty();
        }
    }

    private static Appointment read(ResultSet rows) throws SQLException {
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
