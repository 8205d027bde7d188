package clinic.conformance.server.vapi;

import clinic.conformance.server.http.ApiError;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Vapi server-URL {@code tool-calls} message. Accepts every shape Vapi sends (contract §1): arguments as an
 * object or a JSON-encoded string, under {@code function} or beside {@code id}; unknown fields are ignored.
 */
public final class ToolCallMessages {
    public static final int MAX_TOOL_CALLS = 10;
    private final ObjectMapper mapper;
    private final int maxToolCalls;

    public ToolCallMessages(ObjectMapper mapper) {
        this(mapper, MAX_TOOL_CALLS);
    }

    /** {@code maxToolCalls}: a message with more is refused whole (contract §1 v3); 0 for no cap. */
    public ToolCallMessages(ObjectMapper mapper, int maxToolCalls) {
        this.maxToolCalls = maxToolCalls;
        this.mapper = mapper;
    }

    public List<ToolCall> parse(JsonNode body) {
        JsonNode message = body == null ? null : body.get("message");
        if (message == null || !message.isObject()) {
            throw ApiError.invalidRequest("expected a Vapi server message: {\"message\": {\"type\": \"tool-calls\", ...}}");
        }
        JsonNode type = message.get("type");
        if (type == null || !"tool-calls".equals(type.asText(null)) || !type.isTextual()) {
            throw ApiError.invalidRequest("expected message.type 'tool-calls', got " + describe(type));
        }
        JsonNode list = message.get("toolCallList");
        if (list == null || list.isNull()) {
            list = message.get("toolCalls");
        }
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw ApiError.invalidRequest("message.toolCallList must be a non-empty array");
        }
        if (maxToolCalls > 0 && list.size() > maxToolCalls) {
            throw ApiError.invalidRequest("at most " + maxToolCalls + " tool calls per message, got " + list.size());
        }
        String callId = textOrNull(message.path("call").get("id"));
        var calls = new ArrayList<ToolCall>();
        for (JsonNode entry : list) {
            calls.add(toolCall(entry, callId));
        }
        return calls;
    }

    private ToolCall toolCall(JsonNode entry, String callId) {
        if (!entry.isObject()) {
            throw ApiError.invalidRequest("each toolCallList entry must be an object");
        }
        String id = textOrNull(entry.get("id"));
        if (id == null || id.isBlank() || id.length() > 200) {
            throw ApiError.invalidRequest("each tool call needs an 'id' string of 1-200 characters");
        }
        JsonNode function = entry.get("function");
        JsonNode holder = function != null && function.isObject() ? function : entry;
        String name = textOrNull(holder.get("name"));
        if (name == null || name.isBlank()) {
            throw ApiError.invalidRequest("tool call '" + id + "' has no function name");
        }
        // contract §1 v2: older Vapi documents name the arguments "parameters"
        JsonNode arguments = holder.has("arguments") ? holder.get("arguments") : holder.get("parameters");
        return new ToolCall(id, name, arguments(id, arguments), callId);
    }

    private ObjectNode arguments(String id, JsonNode raw) {
        if (raw == null || raw.isNull()) {
            return mapper.createObjectNode();
        }
        JsonNode parsed = raw;
        if (raw.isTextual()) {
            try {
                parsed = mapper.readTree(raw.asText());
            } catch (JsonProcessingException e) {
                throw ApiError.invalidRequest("tool call '" + id + "': arguments is a string but not valid JSON");
            }
        }
        if (parsed == null || !parsed.isObject()) {
            throw ApiError.invalidRequest("tool call '" + id + "': arguments must be a JSON object, got " + describe(parsed));
        }
        return (ObjectNode) parsed;
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return node.isTextual() ? "'" + node.asText() + "'" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
