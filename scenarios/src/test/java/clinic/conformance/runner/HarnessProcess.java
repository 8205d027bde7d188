package clinic.conformance.runner;

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

/** Runs the built runner jar as its own process, as a user or a CI job would. */
record HarnessProcess(int exitCode, String output) {
    static final Path JAR = Path.of("target", "conformance.jar").toAbsolutePath();

    static HarnessProcess run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path log = Files.createTempFile("harness", ".log");
        Process process = builder(env, args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("harness " + String.join(" ", args) + " did not finish in 10 minutes");
        }
        return new HarnessProcess(process.exitValue(), Files.readString(log));
    }

    static ProcessBuilder builder(Map<String, String> env, String... args) {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command);
        builder.environment().remove("CONFORMANCE_JWT_SECRET");
        builder.environment().remove("JWT_SECRET");
        builder.environment().remove("DATABASE_URL");
        builder.environment().putAll(env);
        return builder;
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
}
