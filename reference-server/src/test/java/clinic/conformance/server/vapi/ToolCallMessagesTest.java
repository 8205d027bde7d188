package clinic.conformance.server.vapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import clinic.conformance.server.http.ApiError;
import clinic.conformance.server.http.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Vapi tool-calls messages are read in every shape Vapi sends")
class ToolCallMessagesTest {
    private final ObjectMapper mapper = Json.mapper();
    private final ToolCallMessages messages = new ToolCallMessages(mapper);

    private ToolCall only(String json) throws Exception {
        var calls = messages.parse(mapper.readTree(json));
        assertThat(calls).hasSize(1);
        return calls.get(0);
    }

    @Test
    void argumentsAsAnObjectUnderFunction() throws Exception {
        ToolCall call = only("""
                {"message":{"type":"tool-calls","call":{"id":"c1"},"artifact":{},"toolWithToolCallList":[],
                 "toolCallList":[{"id":"t1","type":"function","function":{"name":"book_appointment","arguments":{"a":1}}}]}}""");
        assertThat(call.id()).isEqualTo("t1");
        assertThat(call.callId()).isEqualTo("c1");
        assertThat(call.name()).isEqualTo("book_appointment");
        assertThat(call.arguments().get("a").asInt()).isEqualTo(1);
    }

    @Test
    void argumentsAsAJsonEncodedString() throws Exception {
        ToolCall call = only("""
                {"message":{"type":"tool-calls","toolCallList":[{"id":"t1","function":{"name":"x","arguments":"{\\"a\\":2}"}}]}}""");
        assertThat(call.arguments().get("a").asInt()).isEqualTo(2);
        assertThat(call.callId()).isNull();
    }

    @Test
    void nameAndArgumentsBesideTheId() throws Exception {
        ToolCall call = only("""
                {"message":{"type":"tool-calls","toolCallList":[{"id":"t1","name":"x","arguments":{"a":3}}]}}""");
        assertThat(call.name()).isEqualTo("x");
        assertThat(call.arguments().get("a").asInt()).isEqualTo(3);
    }

    @Test
    void malformedMessagesAreRefusedWithA400() {
        for (String bad : new String[] {
                "{}", "[]", "{\"message\":{\"type\":\"status-update\"}}",
                "{\"message\":{\"type\":\"tool-calls\",\"toolCallList\":[]}}",
                "{\"message\":{\"type\":\"tool-calls\",\"toolCallList\":[{\"function\":{\"name\":\"x\"}}]}}",
                "{\"message\":{\"type\":\"tool-calls\",\"toolCallList\":[{\"id\":\"t\"}]}}",
                "{\"message\":{\"type\":\"tool-calls\",\"toolCallList\":[{\"id\":\"t\",\"name\":\"x\",\"arguments\":\"{oops\"}]}}",
                "{\"message\":{\"type\":\"tool-calls\",\"toolCallList\":[{\"id\":\"t\",\"name\":\"x\",\"arguments\":[1]}]}}"}) {
            assertThatThrownBy(() -> messages.parse(mapper.readTree(bad))).as(bad).isInstanceOf(ApiError.class)
                    .extracting(e -> ((ApiError) e).status()).isEqualTo(400);
        }
    }
}
