package clinic.conformance.server.vapi;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.regex.Pattern;

/**
 * One entry of the Vapi response's {@code results}: a sentence the assistant can say, or an error with its code.
 * Both are single lines (contract §1 v2): Vapi needs strings without line breaks.
 */
public record ToolResult(@JsonProperty("toolCallId") String toolCallId, String name, String result, String error,
                         String errorCode) {
    private static final Pattern LINE_BREAKS = Pattern.compile("\\s*[\\r\\n\\u2028\\u2029]+\\s*");

    public static ToolResult success(ToolCall call, String sentence) {
        return new ToolResult(call.id(), call.name(), oneLine(sentence), null, null);
    }

    public static ToolResult error(ToolCall call, String code, String message) {
        return new ToolResult(call.id(), call.name(), null, oneLine(message), code);
    }

    /** Line breaks, and the spaces around them, become one space. */
    static String oneLine(String text) {
        return text == null ? null : LINE_BREAKS.matcher(text).replaceAll(" ").strip();
    }
}
