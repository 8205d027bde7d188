package clinic.conformance.server.vapi;

import clinic.conformance.server.http.ApiError;
import clinic.conformance.server.http.CallInProgress;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One entry of a Vapi {@code toolCallList}, normalised: id, function name, arguments as an object. */
public record ToolCall(String id, String name, ObjectNode arguments, String callId) implements CallInProgress {
    @Override
    public String toolCallId() {
        return id;
    }

    @Override
    public List<?> errorResults(ApiError error) {
        return List.of(ToolResult.error(this, error.code(), error.getMessage()));
    }
}
