package clinic.conformance.server.http;

import java.util.List;

/**
 * The tool call a request is handling, as the error writer and the refusal audit see it: its id, and the
 * {@code results} an error is answered with (Vapi reads nothing else). The Vapi handler sets it on the request
 * ({@link ErrorMapper#TOOL_CALL}); this package knows nothing more of Vapi.
 */
public interface CallInProgress {
    String toolCallId();

    /** The {@code results} entries that answer {@code error} for this call. */
    List<?> errorResults(ApiError error);
}
