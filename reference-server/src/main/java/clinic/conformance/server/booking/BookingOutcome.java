package clinic.conformance.server.booking;

import clinic.conformance.server.calendar.SyncStatus;

/** A booking that stands: new, or the first result of a replayed toolCallId. */
public record BookingOutcome(Appointment appointment, SyncStatus calendarSync, boolean replayed) {
}
