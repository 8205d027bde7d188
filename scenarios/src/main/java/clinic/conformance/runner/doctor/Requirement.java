package clinic.conformance.runner.doctor;

/**
 * One thing the harness reads, seeds through or calls on a target, traced to the contract.
 *
 * @param kind     table, column, function or endpoint
 * @param name     {@code public.appointments.vapi_tool_call_id}, {@code public.record_audit(text, uuid, text, jsonb)},
 *                 {@code POST /api/vapi/tools}
 * @param section  the contract section that requires it
 * @param usedBy   the scenarios that need it
 * @param extendedOnly needed only by checks of the extended series ({@code --extended})
 */
public record Requirement(Kind kind, String name, String section, String usedBy, boolean extendedOnly) {
    public Requirement(Kind kind, String name, String section, String usedBy) {
        this(kind, name, section, usedBy, false);
    }

    /** What kind of thing a target must have. */
    public enum Kind { TABLE, COLUMN, FUNCTION, ENDPOINT }

    /** One line for the doctor's report. */
    public String missing() {
        return "missing " + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + name + " (contract " + section
                + "; needed by " + usedBy + (extendedOnly ? ", --extended only" : "") + ")";
    }
}
