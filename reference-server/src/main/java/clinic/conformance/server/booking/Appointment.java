package clinic.conformance.server.booking;

import java.time.OffsetDateTime;
import java.util.UUID;

/** An appointment row as the API returns it (contract §1), including the Vapi ids it was booked under. */
public record Appointment(UUID id, UUID orgId, UUID clinicId, UUID providerId, String patientName,
                          String patientEmail, OffsetDateTime scheduledAt, int durationMinutes, String status,
                          String googleCalendarEventId, String vapiCallId, String vapiToolCallId,
                          OffsetDateTime createdAt) {
}
