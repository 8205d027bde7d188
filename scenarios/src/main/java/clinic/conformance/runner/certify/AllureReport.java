package clinic.conformance.runner.certify;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Writes the report's environment and turns {@code allure-results/} into a one-file HTML report. */
public final class AllureReport {
    private AllureReport() {
    }

    static void writeEnvironment(Path results, Map<String, String> environment) throws IOException {
        Files.createDirectories(results);
        var properties = new Properties();
        properties.putAll(environment);
        try (var out = Files.newBufferedWriter(results.resolve("environment.properties"))) {
            properties.store(out, null);
        }
    }

    /** Allure categories: what kind of problem a non-passing check is, for the reviewer. */
    static void writeCategories(Path results) throws IOException {
        Files.writeString(results.resolve("categories.json"), """
                [
                  {"name": "Target unreachable", "matchedStatuses": ["broken"],
                   "messageRegex": "(?s).*(Connection refused|does not answer|connect timed out|UnknownHost|Connection reset).*"},
                  {"name": "Product defect: a request never answered", "matchedStatuses": ["broken"],
                   "messageRegex": "(?s).*(request timed out|Read timed out).*"},
                  {"name": "Harness or configuration problem", "matchedStatuses": ["broken"]},
                  {"name": "Product defect", "matchedStatuses": ["failed"]}
                ]
                """);
    }

    /**
     * Runs Allure's generator (unpacked from Maven Central by the build next to the runner jar): a one-file report
     * that opens from disk ({@code allure-report/index.html}), and the full site ({@code allure-report/site/}) whose
     * {@code history/} the next run carries forward, so the trend survives across runs.
     */
    public static void generate(Path reports, PrintStream out) {
        Optional<Path> allure = findCommandLine();
        if (allure.isEmpty()) {
            out.println("Allure report not generated: the allure command line is missing next to the runner; run the build");
            return;
        }
        Path results = reports.resolve("allure-results");
        Path report = reports.resolve("allure-report");
        Path previousHistory = report.resolve("site").resolve("history");
        try {
            if (Files.isDirectory(previousHistory)) {
                copyTree(previousHistory, results.resolve("history"));
            }
            run(allure.get(), out, "generate", "--clean", results.toString(), "-o", report.resolve("site").toString());
            Path singleFile = Files.createTempDirectory("allure-single");
            run(allure.get(), out, "generate", "--clean", "--single-file", results.toString(), "-o", singleFile.toString());
            Files.copy(singleFile.resolve("index.html"), report.resolve("index.html"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            out.println("Allure report not generated: " + e.getMessage());
        }
    }

    private static void run(Path allure, PrintStream out, String... args) throws IOException {
        var command = new java.util.ArrayList<String>();
        command.add(allure.toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("allure " + args[0] + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static Optional<Path> findCommandLine() {
        try {
            Path jarDir = Path.of(AllureReport.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
            Path unpacked = jarDir.resolve("allure");
            if (!Files.isDirectory(unpacked)) {
                return Optional.empty();
            }
            try (Stream<Path> found = Files.walk(unpacked, 3)) {
                return found.filter(p -> p.endsWith(Path.of("bin", "allure"))).findFirst()
                        .map(p -> {
                            p.toFile().setExecutable(true);
                            return p;
                        });
            }
        } catch (IOException | java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }
}
