package clinic.conformance.server.booking;

import clinic.conformance.server.vapi.ToolCall;
import clinic.conformance.server.vapi.ToolReply;
import clinic.conformance.server.vapi.VapiTool;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;

/** The Vapi tool {@code book_appointment}. */
public final class BookAppointmentTool implements VapiTool {
    public static final String NAME = "book_appointment";
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
        return claims -> reply(bookings.book(claims, args, call));
    }

    private static ToolReply reply(BookingOutcome outcome) {
        var appointment = outcome.appointment();
        var fields = new LinkedHashMap<String, Object>();
        fields.put("appointment", appointment);
        fields.put("google_calendar_event_id", appointment.googleCalendarEventId());
        fields.put("calendar_sync", outcome.calendarSync());
        String sentence = "Booked " + appointment.patientName() + " for "
                + appointment.scheduledAt().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + ", "
                + appointment.durationMinutes() + " minutes. Confirmation " + appointment.id().toString().substring(0, 8) + ".";
        return new ToolReply(fields, sentence);
    }
}
