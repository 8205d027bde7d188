package clinic.conformance.server.vapi;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One entry of a Vapi {@code toolCallList}, normalised: id, function name, arguments as an object. */
public record ToolCall(String id, String name, ObjectNode arguments, String callId) {
}
