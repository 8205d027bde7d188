package clinic.conformance.embedded.server;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.embedded.EmbeddedTarget;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.fixtures.seed.Clinic;
import clinic.conformance.fixtures.seed.Member;
import clinic.conformance.fixtures.seed.Slots;
import clinic.conformance.server.config.ServerConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The reference server under the {@code vapi} profile (its default): messages shaped as Vapi sends them, every call
 * answered with HTTP 200 and its own result. Payloads follow Vapi's published tool-calls message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Reference server: Vapi messages under the vapi profile")
class VapiMessagesIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private EmbeddedTarget target;
    private Fixtures fx;
    private Clinic clinic;
    private Member provider;
    private String token;

    @BeforeAll
    void start() {
        target = EmbeddedTarget.builder().withServerSetting(ServerConfig.VAPI_REFUSALS, "results").start();
        fx = Fixtures.forTarget(target.target());
        clinic = fx.seed().clinic("Vapi messages").insert();
        provider = fx.seed().provider(clinic).insert();
        token = fx.tokens().forUser(clinic.admin()).sign();
    }

    @AfterAll
    void stop() {
        fx.seed().cleanUp(clinic);
        target.close();
    }

    private ObjectNode arguments(OffsetDateTime at) {
        return MAPPER.createObjectNode().put("clinic_id", clinic.id().toString()).put("provider_id", provider.id().toString())
                .put("patient_name", "Ana Ruiz").put("patient_email", "ana@example.test")
                .put("scheduled_at", at.toString()).put("duration_minutes", 30);
    }

    /** A tool-calls message as Vapi sends it: each call under function, plus the call, assistant and artifact. */
    private static ObjectNode message(String padding, ObjectNode... calls) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode message = root.putObject("message");
        message.put("type", "tool-calls").put("timestamp", 1764000000000L);
        message.putObject("call").put("id", "call-" + UUID.randomUUID()).put("unknownFutureField", true);
        ArrayNode list = message.putArray("toolCallList");
        for (ObjectNode call : calls) {
            list.add(call);
        }
        message.putObject("assistant").put("name", "Front desk").put("firstMessage", padding);
        message.putObject("artifact").putArray("messages").addObject().put("role", "user").put("message", padding);
        return root;
    }

    private static ObjectNode bookingCall(ObjectNode arguments, String key) {
        ObjectNode call = MAPPER.createObjectNode().put("id", "call_" + UUID.randomUUID().toString().substring(0, 12))
                .put("type", "function");
        call.putObject("function").put("name", "book_appointment").set(key, arguments);
        return call;
    }

    private JsonNode send(ObjectNode body, int expectedStatus) throws Exception {
        var response = fx.api().post(body.toString(), "Bearer " + token);
        assertThat(response.status()).as("HTTP status: %s", response).isEqualTo(expectedStatus);
        return MAPPER.readTree(response.body());
    }

    @Test
    void aTwoCallMessageWhoseSecondCallConflictsIsAnsweredWithBothResultsAndTheFirstBookingReported() throws Exception {
        OffsetDateTime slot = Slots.fresh();
        ObjectNode first = bookingCall(arguments(slot), "arguments");
        ObjectNode second = bookingCall(arguments(slot.plusMinutes(15)), "arguments");

        JsonNode answer = send(message("", first, second), 200);

        JsonNode results = answer.get("results");
        assertThat(results).hasSize(2);
        assertThat(results.get(0).get("toolCallId").asText()).isEqualTo(first.get("id").asText());
        assertThat(results.get(0).get("result").asText()).startsWith("Booked Ana Ruiz");
        assertThat(results.get(1).get("toolCallId").asText()).isEqualTo(second.get("id").asText());
        assertThat(results.get(1).get("error_code").asText()).isEqualTo("slot_conflict");
        assertThat(fx.database().count("select count(*) from public.appointments where vapi_tool_call_id = ?",
                first.get("id").asText())).as("the first booking, committed and reported").isEqualTo(1);
    }

    @Test
    void aRefusedSingleCallIsAnsweredWith200AndItsErrorCode() throws Exception {
        ObjectNode foreign = arguments(Slots.fresh()).put("clinic_id", UUID.randomUUID().toString());

        JsonNode answer = send(message("", bookingCall(foreign, "arguments")), 200);

        assertThat(answer.get("results").get(0).get("error_code").asText()).isEqualTo("forbidden");
        assertThat(answer.get("results").get(0).get("error").asText()).isNotBlank();
    }

    @Test
    void aHalfMegabyteMessageWithParametersAndAnOffsetBooksAndSpeaksTheCallersTime() throws Exception {
        OffsetDateTime slot = Slots.fresh().withOffsetSameInstant(ZoneOffset.ofHours(-5));
        String transcript = "The caller asked about\nparking and hours. ".repeat(6_000);

        JsonNode answer = send(message(transcript, bookingCall(arguments(slot), "parameters")), 200);

        String spoken = answer.get("results").get(0).get("result").asText();
        assertThat(spoken).as("one line for the caller").doesNotContain("\n").doesNotContain("\r")
                .contains(String.format("%02d:%02d UTC-05:00", slot.getHour(), slot.getMinute()));
        assertThat(answer.path("appointment").path("id").asText()).isNotBlank();
    }

    @Test
    void aMessageOverTheLimitIs413() throws Exception {
        send(message("x".repeat(1_100_000), bookingCall(arguments(Slots.fresh()), "arguments")), 413);
    }
}
