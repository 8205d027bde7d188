package clinic.conformance.server.vapi;

import clinic.conformance.server.auth.Claims;
import java.sql.SQLException;

/** One Vapi function tool: validates its arguments first (400), then runs as the verified caller. */
public interface VapiTool {
    String name();

    /** Checks the arguments' shape before the token is looked at (contract §1 order: 400 before 401). */
    Prepared prepare(ToolCall call);

    /** A tool call whose arguments passed; running it may still refuse with 403/404/409. */
    @FunctionalInterface
    interface Prepared {
        ToolReply run(Claims claims) throws SQLException;
    }
}
