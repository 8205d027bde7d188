package clinic.conformance.server.booking;

import clinic.conformance.server.audit.AuditLog;
import clinic.conformance.server.auth.Claims;
import clinic.conformance.server.calendar.CalendarOutbox;
import clinic.conformance.server.calendar.CalendarSync;
import clinic.conformance.server.calendar.EventIds;
import clinic.conformance.server.calendar.SyncStatus;
import clinic.conformance.server.db.Database;
import clinic.conformance.server.http.ApiError;
import clinic.conformance.server.vapi.ToolCall;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The booking chain after the token is verified (contract §1): 403 other clinic (audited) → 404 provider → 409 overlap →
 * book, with the appointment and its calendar outbox row in one statement as the caller ({@link AppointmentStore#book}),
 * then the first Google attempt, awaited for at most the sync budget.
 */
public final class BookingService {
    private final Database database;
    private final AppointmentStore appointments;
    private final CalendarOutbox outbox;
    private final CalendarSync calendar;
    private final ClinicAccess clinicAccess;
    private final AuditLog audit;

    public BookingService(Database database, AppointmentStore appointments, CalendarOutbox outbox,
                          CalendarSync calendar, ClinicAccess clinicAccess, AuditLog audit) {
        this.database = database;
        this.appointments = appointments;
        this.outbox = outbox;
        this.calendar = calendar;
        this.clinicAccess = clinicAccess;
        this.audit = audit;
    }

    public BookingOutcome book(Claims claims, BookingArguments args, ToolCall call) throws SQLException {
        if (!clinicAccess.allows(claims, args.clinicId())) {
            audit.record(claims, "book_appointment", args.clinicId(), "forbidden",
                    Map.of("tool_call_id", call.id(), "provider_id", args.providerId().toString()));
            throw ApiError.forbidden("clinic_id is not the clinic of your access token");
        }
        BookingOutcome outcome;
        UUID id = UUID.randomUUID();
        try {
            outcome = appointments.book(database, claims, new AppointmentStore.NewAppointment(id, claims.orgId(), args,
                    EventIds.forAppointment(id), call.callId(), call.id(), claims.userId()), calendar.calendarId(),
                    calendar.firstAttemptHold());
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState()) && !"23P01".equals(e.getSQLState())) {
                throw e;
            }
            // a concurrent request with the same toolCallId may have won the race: answer with its booking
            outcome = database.asUser(claims, connection -> findReplay(connection, claims, call)).orElseThrow(() -> e);
        }
        if (outcome.replayed()) {
            return outcome;
        }
        Appointment booked = outcome.appointment();
        return new BookingOutcome(booked, calendar.syncWithinBudget(booked.id(), booked.googleCalendarEventId(),
                booked.patientName(), booked.scheduledAt(), booked.durationMinutes()), false);
    }

    /** Contract §1: a replayed toolCallId for the same org returns the first result and creates nothing. */
    private Optional<BookingOutcome> findReplay(Connection connection, Claims claims, ToolCall call) throws SQLException {
        Optional<Appointment> first = appointments.findByToolCall(connection, claims.orgId(), call.id());
        if (first.isEmpty()) {
            return Optional.empty();
        }
        Appointment appointment = first.get();
        SyncStatus sync = outbox.status(connection, appointment.id())
                .orElse(SyncStatus.pending(appointment.googleCalendarEventId()));
        return Optional.of(new BookingOutcome(appointment, sync, true));
    }
}
