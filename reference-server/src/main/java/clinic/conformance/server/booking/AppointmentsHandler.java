package clinic.conformance.server.booking;

import clinic.conformance.server.audit.AuditLog;
import clinic.conformance.server.auth.TokenVerifier;
import clinic.conformance.server.calendar.CalendarOutbox;
import clinic.conformance.server.db.Database;
import clinic.conformance.server.http.ApiError;
import clinic.conformance.server.http.Uuids;
import io.javalin.http.Context;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@code GET /api/appointments/{id}} and {@code GET /api/appointments?from=&to=}, as the caller (RLS applies). */
public final class AppointmentsHandler {
    private final Database database;
    private final TokenVerifier tokens;
    private final AppointmentStore appointments;
    private final AuditLog audit;
    private final CalendarOutbox outbox;

    public AppointmentsHandler(Database database, TokenVerifier tokens, AppointmentStore appointments, AuditLog audit,
                               CalendarOutbox outbox) {
        this.database = database;
        this.tokens = tokens;
        this.appointments = appointments;
        this.audit = audit;
        this.outbox = outbox;
    }

    public void getOne(Context ctx) throws Exception {
        var claims = tokens.verifyHeader(ctx.header("Authorization"));
        UUID id = Uuids.parse(ctx.pathParam("id")).orElseThrow(() -> ApiError.notFound("no such appointment"));
        var found = database.asUser(claims, connection -> appointments.findById(connection, id));
        if (found.isEmpty()) {
            throw notFoundAudited(claims, "read_appointment", id);
        }
        ctx.json(Map.of("success", true, "appointment", found.get()));
    }

    /**
     * {@code POST /api/appointments/{id}/cancel}: frees the slot; the row stays, with status cancelled, and in the same
     * transaction the outbox is told to delete the event from Google Calendar.
     */
    public void cancel(Context ctx) throws Exception {
        var claims = tokens.verifyHeader(ctx.header("Authorization"));
        UUID id = Uuids.parse(ctx.pathParam("id")).orElseThrow(() -> ApiError.notFound("no such appointment"));
        var cancelled = database.asUser(claims, connection -> {
            var appointment = appointments.cancel(connection, id);
            if (appointment.isPresent()) {
                outbox.cancel(connection, id);
            }
            return appointment;
        });
        if (cancelled.isEmpty()) {
            throw notFoundAudited(claims, "cancel_appointment", id);
        }
        ctx.json(Map.of("success", true, "appointment", cancelled.get()));
    }

    /**
     * Another org's id answers exactly like a missing one (existence never leaks to the caller); the attempt is
     * recorded in that org's own audit chain, where the caller cannot see it.
     */
    private ApiError notFoundAudited(clinic.conformance.server.auth.Claims claims, String action, UUID id) throws Exception {
        Optional<UUID> owner = database.asService(connection -> appointments.orgOf(connection, id));
        owner.filter(org -> !org.equals(claims.orgId())).ifPresent(org ->
                audit.recordForVictim(org, claims, action, "not_found", Map.of("appointment_id", id.toString())));
        return ApiError.notFound("no such appointment");
    }

    public void list(Context ctx) throws Exception {
        var claims = tokens.verifyHeader(ctx.header("Authorization"));
        OffsetDateTime from = time(ctx, "from");
        OffsetDateTime to = time(ctx, "to");
        if (!to.isAfter(from)) {
            throw ApiError.invalidRequest("'to' must be after 'from'");
        }
        var found = database.asUser(claims, connection -> appointments.listBetween(connection, from, to));
        ctx.json(Map.of("success", true, "appointments", found));
    }

    private static OffsetDateTime time(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        try {
            if (raw != null) {
                return OffsetDateTime.parse(raw);
            }
        } catch (DateTimeParseException ignored) {
            // one message below
        }
        throw ApiError.invalidRequest("query parameter '" + name + "' must be ISO-8601 with an offset, got "
                + (raw == null ? "nothing" : "'" + raw + "'"));
    }
}
