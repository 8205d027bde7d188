package clinic.conformance.server.calendar;

import java.util.Set;

/**
 * How the server reads one answer of Google Calendar, per Google's "Handle API errors" page for the Calendar API;
 * where the page leaves a choice, docs/decisions.md says which was made and why.
 */
public enum GoogleAnswer {
    /** The calendar is as the booking wants it: stored (2xx; 409 duplicate for an insert with the derived id) or gone
     *  (2xx; 404 or 410 for a delete: someone, or an earlier attempt, deleted it already). */
    DONE,
    /** Worth another attempt with exponential backoff: 429, 5xx, 408, the usage-limit 403s, 404 on insert. */
    RETRY,
    /** The access token expired or was revoked (401): refresh it, then retry with backoff. */
    REFRESH_AND_RETRY,
    /** Never retried: 400, the other 403s (forbiddenForNonOrganizer, insufficientPermissions), 412, other 4xx. */
    PERMANENT;

    /** What Google does to an event. */
    public enum Operation { INSERT, DELETE }

    /** The {@code usageLimits} reasons of a 403: rate and quota limits, lifted by waiting. */
    public static final Set<String> USAGE_LIMITS = Set.of("userRateLimitExceeded", "rateLimitExceeded",
            "dailyLimitExceeded", "quotaExceeded", "calendarUsageLimitsExceeded");

    /** Reads {@code status} with the first {@code error.errors[].reason} (null when the body had none). */
    public static GoogleAnswer read(Operation operation, int status, String reason) {
        if (status >= 200 && status < 300) {
            return DONE;
        }
        if (operation == Operation.INSERT && status == 409) {
            return DONE;
        }
        if (operation == Operation.DELETE && (status == 404 || status == 410)) {
            return DONE;
        }
        if (status == 401) {
            return REFRESH_AND_RETRY;
        }
        if (status == 429 || status == 408 || status >= 500) {
            return RETRY;
        }
        if (status == 403) {
            return reason != null && USAGE_LIMITS.contains(reason) ? RETRY : PERMANENT;
        }
        // Google suggests backoff for 404: a calendar just shared with the account may not be visible yet
        return operation == Operation.INSERT && status == 404 ? RETRY : PERMANENT;
    }
}
