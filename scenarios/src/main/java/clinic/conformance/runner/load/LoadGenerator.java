package clinic.conformance.runner.load;

import clinic.conformance.load.PhaseFigures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Gatling, in a process of its own (the {@code load} module, on its own class path: {@code ./harness} passes it as
 * {@code conformance.load.classpath}), so the load it makes never shares a JVM with what it measures.
 */
final class LoadGenerator {
    private LoadGenerator() {
    }

    /** Runs the plan; returns each phase's figures (load-results.json). Gatling's HTML report stays in {@code results}. */
    static Map<String, PhaseFigures> run(java.util.Optional<String> generatorClasspath, Path plan, Path results, Path log,
                                         java.util.function.LongConsumer started)
            throws IOException, InterruptedException {
        String classpath = generatorClasspath.orElseThrow(() -> new IllegalStateException("the load generator is not "
                + "on this distribution (./harness passes its class path); run ./harness budgets"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        var builder = new ProcessBuilder(List.of(java.toString(), "-Xmx768m", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-cp", classpath, "clinic.conformance.load.LoadMain", plan.toString(), results.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // a profiler attached to the harness (JAVA_TOOL_OPTIONS) profiles the server, not the generator too
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        var process = builder.start();
        started.accept(process.pid());
        if (!process.waitFor(2, TimeUnit.HOURS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("the load generator failed; its log: " + log);
        }
        return PhaseFigures.readAll(results.resolve("load-results.json"));
    }
}
