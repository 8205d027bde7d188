package clinic.conformance.server.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import clinic.conformance.server.http.ApiError;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("book_appointment arguments are checked field by field, with a 400 that names the field")
class BookingArgumentsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ObjectNode valid() {
        ObjectNode args = MAPPER.createObjectNode();
        args.put("clinic_id", UUID.randomUUID().toString());
        args.put("provider_id", UUID.randomUUID().toString());
        args.put("patient_name", "Zoë O'Brien");
        args.put("patient_email", "zoe@example.test");
        args.put("scheduled_at", "2030-01-07T09:00:00+02:00");
        args.put("duration_minutes", 45);
        return args;
    }

    private static void assertRejected(String field, Consumer<ObjectNode> change) {
        ObjectNode args = valid();
        change.accept(args);
        assertThatThrownBy(() -> BookingArguments.from(args)).isInstanceOf(ApiError.class)
                .hasMessageContaining(field).extracting(e -> ((ApiError) e).status()).isEqualTo(400);
    }

    @Test
    void validArgumentsAreKeptVerbatim() {
        BookingArguments args = BookingArguments.from(valid());
        assertThat(args.patientName()).isEqualTo("Zoë O'Brien");
        assertThat(args.scheduledAt()).isEqualTo(OffsetDateTime.parse("2030-01-07T07:00:00Z").withOffsetSameInstant(
                java.time.ZoneOffset.ofHours(2)));
        assertThat(args.durationMinutes()).isEqualTo(45);
    }

    @Test
    void durationDefaultsToThirtyMinutes() {
        ObjectNode args = valid();
        args.remove("duration_minutes");
        assertThat(BookingArguments.from(args).durationMinutes()).isEqualTo(30);
    }

    @Test
    void durationMustBeAWholeNumberFromFiveTo480() {
        assertRejected("duration_minutes", a -> a.put("duration_minutes", 4));
        assertRejected("duration_minutes", a -> a.put("duration_minutes", 481));
        assertRejected("duration_minutes", a -> a.put("duration_minutes", 30.5));
        assertRejected("duration_minutes", a -> a.put("duration_minutes", "30"));
        assertThat(BookingArguments.from(valid().put("duration_minutes", 5)).durationMinutes()).isEqualTo(5);
        assertThat(BookingArguments.from(valid().put("duration_minutes", 480)).durationMinutes()).isEqualTo(480);
    }

    @Test
    void idsMustBeCanonicalUuids() {
        assertRejected("clinic_id", a -> a.put("clinic_id", "1-1-1-1-1"));
        assertRejected("clinic_id", a -> a.remove("clinic_id"));
        assertRejected("provider_id", a -> a.put("provider_id", 42));
    }

    @Test
    void timesNeedAnOffset() {
        assertRejected("scheduled_at", a -> a.put("scheduled_at", "2030-01-07T09:00:00"));
        assertRejected("scheduled_at", a -> a.put("scheduled_at", "next tuesday"));
    }

    @Test
    void patientFieldsAreBounded() {
        assertRejected("patient_name", a -> a.put("patient_name", ""));
        assertRejected("patient_name", a -> a.put("patient_name", "   "));
        assertRejected("patient_name", a -> a.put("patient_name", "x".repeat(201)));
        assertThat(BookingArguments.from(valid().put("patient_name", "é".repeat(200))).patientName()).hasSize(200);
        assertRejected("patient_email", a -> a.put("patient_email", "not-an-email"));
        assertRejected("patient_email", a -> a.putNull("patient_email"));
    }
}
