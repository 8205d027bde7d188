package clinic.conformance.embedded.runner;

import clinic.conformance.server.auth.Claims;
import clinic.conformance.server.booking.Appointment;
import clinic.conformance.server.booking.AppointmentStore;
import clinic.conformance.server.booking.BookingArguments;
import clinic.conformance.server.booking.BookingOutcome;
import clinic.conformance.server.calendar.CalendarOutbox;
import clinic.conformance.server.calendar.SyncStatus;
import clinic.conformance.server.db.Database;
import clinic.conformance.server.http.ApiError;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The reference server's booking as separate statements in one transaction — the replay lookup, the provider check,
 * the slot's locks, the INSERT, the outbox row — which {@code public.book_appointment} does in one round trip: the
 * steps a mutant target gets wrong one at a time.
 */
class StepwiseBooking extends AppointmentStore {
    private static final long SECONDS_PER_QUARTER = 900;
    private final CalendarOutbox outbox = new CalendarOutbox();

    @Override
    public BookingOutcome book(Database database, Claims claims, NewAppointment booking, String calendarId,
                               Duration firstAttemptHold) throws SQLException {
        return database.asUser(claims, connection -> {
            Optional<Appointment> first = findByToolCall(connection, claims.orgId(), booking.toolCallId());
            if (first.isPresent()) {
                Appointment earlier = first.get();
                return new BookingOutcome(earlier, outbox.status(connection, earlier.id())
                        .orElse(SyncStatus.pending(earlier.googleCalendarEventId())), true);
            }
            if (!providerExists(connection, claims.orgId(), booking.arguments().providerId())) {
                throw ApiError.providerNotFound();
            }
            Appointment booked = insert(connection, booking);
            outbox.enqueue(connection, claims.orgId(), booked.id(), booking.eventId(), calendarId, firstAttemptHold);
            return new BookingOutcome(booked, SyncStatus.pending(booking.eventId()), false);
        });
    }

    /** True when the provider is a profile with role provider that this caller's RLS lets it see. */
    public boolean providerExists(Connection connection, UUID orgId, UUID providerId) throws SQLException {
        try (var statement = connection.prepareStatement(
                "select 1 from public.profiles where id = ? and org_id = ? and role = 'provider'")) {
            statement.setObject(1, providerId);
            statement.setObject(2, orgId);
            try (var rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** The INSERT, after the slot's locks; the exclusion constraint refuses an overlap with SQLSTATE 23P01. */
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

    /** One advisory lock per quarter hour the slot touches, in ascending order, as book_appointment takes them. */
    protected void lockSlot(Connection connection, BookingArguments slot) throws SQLException {
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
}
