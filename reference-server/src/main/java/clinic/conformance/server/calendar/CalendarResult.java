package clinic.conformance.server.calendar;

import java.time.Duration;

/** The outcome of one attempt at Google Calendar: an insert of a booking's event, or its delete on cancellation. */
public sealed interface CalendarResult {
    /** Google stored the event. */
    record Inserted(String eventId, String htmlLink) implements CalendarResult {
    }

    /** Google answered 409 duplicate: an earlier attempt already stored this event id. */
    record AlreadyExists(String eventId) implements CalendarResult {
    }

    /** Google no longer has the event: deleted now, or already gone (404 or 410 to the delete). */
    record Removed(String eventId, boolean alreadyGone) implements CalendarResult {
    }

    /** Worth retrying later (429, usage-limit 403, 401 after a refresh, 5xx, timeouts); Retry-After when Google sent one. */
    record Retryable(String reason, Duration retryAfter) implements CalendarResult {
    }

    /** Never retried (400, forbiddenForNonOrganizer, insufficientPermissions and other permanent refusals). */
    record Rejected(String reason) implements CalendarResult {
    }
}
