package clinic.conformance.runner.cli;

/** A mistake in how the harness was called: exit code 2 with one sentence. */
public final class UsageError extends RuntimeException {
    public UsageError(String message) {
        super(message);
    }
}
