package clinic.conformance.runner.certify;

/** One scenario ID's outcome in {@code summary.json}, aggregated over every check that carries the ID. */
public record ScenarioResult(String id, String name, ScenarioStatus status, long durationMs, String message) {

    /** Combines two checks of one scenario: failed, then broken, then skipped outweigh passed. */
    ScenarioResult merge(ScenarioResult other) {
        ScenarioResult worse = rank(other.status) > rank(status) ? other : this;
        return new ScenarioResult(id, name, worse.status, durationMs + other.durationMs, worse.message);
    }

    private static int rank(ScenarioStatus status) {
        return switch (status) {
            case FAILED -> 3;
            case BROKEN -> 2;
            case SKIPPED -> 1;
            case PASSED -> 0;
        };
    }
}
