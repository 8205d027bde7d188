package clinic.conformance.server.booking;

import clinic.conformance.server.vapi.ToolCall;
import clinic.conformance.server.vapi.ToolReply;
import clinic.conformance.server.vapi.VapiTool;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;

/** The Vapi tool {@code book_appointment}. */
public final class BookAppointmentTool implements VapiTool {
    public static final String NAME = "book_appointment";
    private static final DateTimeFormatter SPOKEN =
            DateTimeFormatter.ofPattern("EEEE d MMMM yyyy 'at' HH:mm 'UTC'xxx", Locale.ENGLISH);
    private final BookingService bookings;

    public BookAppointmentTool(BookingService bookings) {
        this.bookings = bookings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Prepared prepare(ToolCall call) {
        BookingArguments args = BookingArguments.from(call.arguments());
        return claims -> reply(bookings.book(claims, args, call), args.scheduledAt().getOffset());
    }

    /** The confirmation, with the time spoken in the offset the caller sent (contract §1 v2), never converted to UTC. */
    private static ToolReply reply(BookingOutcome outcome, ZoneOffset callerOffset) {
        var appointment = outcome.appointment();
        var fields = new LinkedHashMap<String, Object>();
        fields.put("appointment", appointment);
        fields.put("google_calendar_event_id", appointment.googleCalendarEventId());
        fields.put("calendar_sync", outcome.calendarSync());
        String sentence = "Booked " + appointment.patientName() + " for "
                + appointment.scheduledAt().withOffsetSameInstant(callerOffset).format(SPOKEN) + ", "
                + appointment.durationMinutes() + " minutes. Confirmation " + appointment.id().toString().substring(0, 8) + ".";
        return new ToolReply(fields, sentence);
    }
}
