package clinic.conformance.embedded.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the harness as its own process, as a user or a CI job would: the full distribution the launcher runs (the
 * runner, this module and the reference server), or the runner alone, as a CI gate downloads it.
 */
record HarnessProcess(int exitCode, String output) {
    /** The runner distribution: {@code conformance.jar}, with {@code lib/} and {@code allure/} beside it. */
    static final Path RUNNER_JAR = Path.of("..", "scenarios", "target", "conformance.jar").toAbsolutePath().normalize();
    /** What {@code ./harness} adds to the runner for the embedded default. */
    static final String EMBEDDED_CLASS_PATH = Path.of("target", "embedded-target.jar").toAbsolutePath()
            + java.io.File.pathSeparator + Path.of("target", "lib").toAbsolutePath() + java.io.File.separator + "*";

    static HarnessProcess run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return complete(builder(env, args), args);
    }

    /** The runner alone: no reference server, no embedded default. */
    static HarnessProcess runRunnerOnly(Map<String, String> env, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of(java(), "-jar", RUNNER_JAR.toString()));
        command.addAll(List.of(args));
        return complete(withEnvironment(new ProcessBuilder(command), env), args);
    }

    private static HarnessProcess complete(ProcessBuilder builder, String... args) throws IOException, InterruptedException {
        Path log = Files.createTempFile("harness", ".log");
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("harness " + String.join(" ", args) + " did not finish in 10 minutes");
        }
        return new HarnessProcess(process.exitValue(), Files.readString(log));
    }

    /** The full distribution, as {@code ./harness} runs it. */
    static ProcessBuilder builder(Map<String, String> env, String... args) {
        var command = new ArrayList<>(List.of(java(), "-cp",
                RUNNER_JAR + java.io.File.pathSeparator + EMBEDDED_CLASS_PATH, "clinic.conformance.runner.Harness"));
        command.addAll(List.of(args));
        return withEnvironment(new ProcessBuilder(command), env);
    }

    private static ProcessBuilder withEnvironment(ProcessBuilder builder, Map<String, String> env) {
        builder.environment().keySet().removeIf(name -> name.startsWith("CONFORMANCE_") && !name.equals("CONFORMANCE_DB_URL"));
        builder.environment().remove("JWT_SECRET");
        builder.environment().remove("DATABASE_URL");
        builder.environment().putAll(env);
        return builder;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Reads a started process's output until a line starting with each prefix has appeared. */
    static Map<String, String> awaitLines(Process process, String... prefixes) throws IOException {
        var found = new java.util.LinkedHashMap<String, String>();
        var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while (found.size() < prefixes.length && (line = reader.readLine()) != null) {
            for (String prefix : prefixes) {
                if (line.startsWith(prefix)) {
                    found.put(prefix, line.substring(prefix.length()).trim());
                }
            }
        }
        Thread drain = new Thread(() -> reader.lines().forEach(l -> { }));
        drain.setDaemon(true);
        drain.start();
        return found;
    }

    /** Every file a run wrote, as text, with the run's console output: where a secret must not appear. */
    static String everythingWritten(Path reports, String output) throws IOException {
        var all = new StringBuilder(output);
        try (var files = java.nio.file.Files.walk(reports)) {
            for (Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                all.append(new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    /** The keys file {@code serve} names on its "API keys:" line, read as NAME=value lines. */
    static Map<String, String> apiKeysFile(String printedLine) throws IOException {
        Path file = Path.of(printedLine.replaceAll("^.* in (\\S+) \\(readable by this user only\\)$", "$1"));
        var keys = new java.util.HashMap<String, String>();
        for (String line : java.nio.file.Files.readAllLines(file)) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                keys.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return keys;
    }
}
