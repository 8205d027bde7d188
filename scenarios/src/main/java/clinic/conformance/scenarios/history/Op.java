package clinic.conformance.scenarios.history;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One operation of a recorded history: what a caller asked, when (monotonic nanoseconds from the run's start), and
 * what it heard. {@code complete} is {@link Long#MAX_VALUE} when the caller gave up: the operation may take effect at
 * any time after its invocation, or never.
 */
public record Op(int index, int client, Kind kind, String org, UUID provider, OffsetDateTime start, int minutes,
                 String toolCallId, UUID target, long invoke, long complete, Outcome outcome, UUID appointment,
                 String detail) {

    /** What a caller does. */
    public enum Kind { BOOK, RESEND, CANCEL, LIST }

    /**
     * What the caller heard: a definite answer (ok, conflict, not found, or refused — any other 4xx, which by the
     * contract changes nothing), or an indeterminate one (error: a 5xx; unknown: the caller gave up).
     */
    public enum Outcome { OK, CONFLICT, NOT_FOUND, REFUSED, ERROR, UNKNOWN }

    /** Whether the operation may have changed the state without the caller knowing it did. */
    boolean indeterminate() {
        return outcome == Outcome.UNKNOWN || outcome == Outcome.ERROR;
    }

    boolean booking() {
        return kind == Kind.BOOK || kind == Kind.RESEND;
    }

    OffsetDateTime end() {
        return start == null ? null : start.plusMinutes(minutes);
    }

    boolean overlaps(Op other) {
        return start.isBefore(other.end()) && other.start.isBefore(end());
    }

    Op completed(long at, Outcome result, UUID appointmentId, String text) {
        return new Op(index, client, kind, org, provider, start, minutes, toolCallId, target, invoke, at, result,
                appointmentId, text);
    }

    /** One JSON line of {@code reports/history/}. */
    Map<String, Object> json() {
        var line = new LinkedHashMap<String, Object>();
        line.put("index", index);
        line.put("client", client);
        line.put("kind", kind.name().toLowerCase());
        line.put("org", org);
        if (provider != null) {
            line.put("provider", provider.toString());
            line.put("start", start.toString());
            line.put("minutes", minutes);
        }
        if (toolCallId != null) {
            line.put("tool_call_id", toolCallId);
        }
        if (target != null) {
            line.put("target", target.toString());
        }
        line.put("invoke_ns", invoke);
        line.put("complete_ns", complete == Long.MAX_VALUE ? null : complete);
        line.put("outcome", outcome.name().toLowerCase());
        if (appointment != null) {
            line.put("appointment", appointment.toString());
        }
        if (detail != null) {
            line.put("detail", detail);
        }
        return line;
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case BOOK, RESEND -> kind.name().toLowerCase() + " " + start.toLocalTime() + "+" + minutes + "m " + toolCallId;
            case CANCEL -> "cancel " + target;
            case LIST -> "list";
        };
        return String.format("#%d c%d %s %s → %s%s", index, client, org, what, outcome.name().toLowerCase(),
                appointment == null ? "" : " " + appointment);
    }
}
