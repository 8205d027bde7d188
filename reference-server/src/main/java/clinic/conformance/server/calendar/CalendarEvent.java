package clinic.conformance.server.calendar;

import java.time.OffsetDateTime;

/** What is sent to Google for one appointment: the client-supplied id, times, and a summary. */
public record CalendarEvent(String eventId, String calendarId, String summary, String description,
                            OffsetDateTime start, OffsetDateTime end) {
}
