package clinic.conformance.server.calendar;

import java.time.OffsetDateTime;

/** The {@code calendar_sync} object of a booking response: synced, pending (the outbox retries), or failed. */
public record SyncStatus(String eventId, String status, OffsetDateTime syncedAt, String calendarLink) {
    public static SyncStatus pending(String eventId) {
        return new SyncStatus(eventId, "pending", null, null);
    }
}
