package clinic.conformance.server.booking;

import clinic.conformance.server.http.ApiError;
import clinic.conformance.server.http.Text;
import clinic.conformance.server.http.Uuids;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.regex.Pattern;

/** The validated arguments of {@code book_appointment} (contract §1); anything else is a 400 naming the field. */
public record BookingArguments(UUID clinicId, UUID providerId, String patientName, String patientEmail,
                               OffsetDateTime scheduledAt, int durationMinutes) {
    public static final int DEFAULT_DURATION = 30;
    public static final int MIN_DURATION = 5;
    public static final int MAX_DURATION = 480;
    public static final int MAX_NAME = 200;
    public static final int MAX_EMAIL = 320;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    public static BookingArguments from(ObjectNode args) {
        return new BookingArguments(
                uuid(args, "clinic_id"),
                uuid(args, "provider_id"),
                patientName(args),
                patientEmail(args),
                scheduledAt(args),
                duration(args));
    }

    private static UUID uuid(ObjectNode args, String field) {
        return Uuids.parse(text(args, field))
                .orElseThrow(() -> ApiError.invalidRequest(field + " must be a uuid, got " + shown(args.get(field))));
    }

    private static String patientName(ObjectNode args) {
        String name = text(args, "patient_name");
        if (name == null || name.isBlank() || name.codePointCount(0, name.length()) > MAX_NAME) {
            throw ApiError.invalidRequest("patient_name must be 1-" + MAX_NAME + " characters, got " + shown(args.get("patient_name")));
        }
        return name;
    }

    private static String patientEmail(ObjectNode args) {
        String email = text(args, "patient_email");
        if (email == null || email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches()) {
            throw ApiError.invalidRequest("patient_email must be an e-mail address, got " + shown(args.get("patient_email")));
        }
        return email;
    }

    private static OffsetDateTime scheduledAt(ObjectNode args) {
        String raw = text(args, "scheduled_at");
        try {
            if (raw != null) {
                return OffsetDateTime.parse(raw, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            }
        } catch (DateTimeParseException ignored) {
            // fall through to the one message below
        }
        throw ApiError.invalidRequest("scheduled_at must be ISO-8601 with an offset (2030-01-07T09:00:00Z), got "
                + shown(args.get("scheduled_at")));
    }

    private static int duration(ObjectNode args) {
        JsonNode node = args.get("duration_minutes");
        if (node == null || node.isNull()) {
            return DEFAULT_DURATION;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()
                || node.intValue() < MIN_DURATION || node.intValue() > MAX_DURATION) {
            throw ApiError.invalidRequest("duration_minutes must be a whole number from " + MIN_DURATION + " to "
                    + MAX_DURATION + ", got " + shown(node));
        }
        return node.intValue();
    }

    /** A text argument, or null when absent, not text, or not storable as it is (NUL, broken surrogates). */
    private static String text(ObjectNode args, String field) {
        JsonNode node = args.get(field);
        return node != null && node.isTextual() && Text.storable(node.asText()) ? node.asText() : null;
    }

    private static String shown(JsonNode node) {
        if (node == null || node.isNull()) {
            return "nothing";
        }
        String text = node.isTextual() ? "'" + node.asText() + "'" : node.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
