package clinic.conformance.server.vapi;

import java.util.Map;

/** A tool's success: the fields of the response body and the one line the assistant says. */
public record ToolReply(Map<String, Object> fields, String sentence) {
}
