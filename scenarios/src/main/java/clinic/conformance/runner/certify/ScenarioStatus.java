package clinic.conformance.runner.certify;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a scenario ended, as {@code summary.json}, the certificate and the console name it. */
public enum ScenarioStatus {
    PASSED, FAILED, BROKEN, SKIPPED;

    /** Whether this outcome fails the gate (unless a baseline lists it). */
    public boolean unmet() {
        return this == FAILED || this == BROKEN;
    }

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
