package clinic.conformance.server.vapi;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of the Vapi response's {@code results}: a sentence the assistant can say, or an error. */
public record ToolResult(@JsonProperty("toolCallId") String toolCallId, String name, String result, String error) {
    public static ToolResult success(ToolCall call, String sentence) {
        return new ToolResult(call.id(), call.name(), sentence, null);
    }

    public static ToolResult error(ToolCall call, String message) {
        return new ToolResult(call.id(), call.name(), null, message);
    }
}
