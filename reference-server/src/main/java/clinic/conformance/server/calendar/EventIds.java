package clinic.conformance.server.calendar;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Google Calendar event ids derived from appointment ids. Google requires base32hex ({@code [a-v0-9]{5,1024}});
 * a uuid's 32 lower-case hex digits are a subset, so a retried insert carries the same id and is idempotent.
 */
public final class EventIds {
    public static final Pattern GOOGLE_EVENT_ID = Pattern.compile("^[a-v0-9]{5,1024}$");

    private EventIds() {
    }

    public static String forAppointment(UUID appointmentId) {
        return appointmentId.toString().replace("-", "").toLowerCase(Locale.ROOT);
    }

    public static boolean isValid(String eventId) {
        return eventId != null && GOOGLE_EVENT_ID.matcher(eventId).matches();
    }
}
