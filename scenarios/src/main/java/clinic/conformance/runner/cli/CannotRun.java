package clinic.conformance.runner.cli;

/** The harness could not run at all (bad configuration, target unreachable): exit 2 with one sentence. */
public final class CannotRun extends RuntimeException {
    public CannotRun(String message) {
        super(message);
    }
}
