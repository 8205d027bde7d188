package clinic.conformance.runner.cli;

import clinic.conformance.fixtures.target.EmbeddedDefault;

/** What this distribution of the harness carries: the full one has the embedded default and the benchmark engine. */
public final class Distribution {
    private Distribution() {
    }

    /** The embedded default, or a sentence saying this distribution does not carry it. */
    public static EmbeddedDefault embeddedDefault(String what) {
        return EmbeddedDefault.find().orElseThrow(() -> new CannotRun(what + " needs the embedded default, which this "
                + "runner does not carry; use ./harness from the project, or pass --target-url"));
    }

    public static void requireBenchmarks() {
        try {
            Class.forName("org.openjdk.jmh.runner.Runner");
        } catch (ClassNotFoundException e) {
            throw new CannotRun("budgets needs the full distribution (./harness); this runner carries no benchmark engine");
        }
    }
}
