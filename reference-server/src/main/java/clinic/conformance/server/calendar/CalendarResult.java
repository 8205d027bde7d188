package clinic.conformance.server.calendar;

import java.time.Duration;

/** The outcome of one insert attempt at Google Calendar. */
public sealed interface CalendarResult {
    /** Google stored the event. */
    record Inserted(String eventId, String htmlLink) implements CalendarResult {
    }

    /** Google answered 409 duplicate: an earlier attempt already stored this event id. */
    record AlreadyExists(String eventId) implements CalendarResult {
    }

    /** Worth retrying later (429, rate-limit 403, 5xx, timeouts); Retry-After when Google sent one. */
    record Retryable(String reason, Duration retryAfter) implements CalendarResult {
    }

    /** Never retried (400 and other permanent refusals). */
    record Rejected(String reason) implements CalendarResult {
    }
}
