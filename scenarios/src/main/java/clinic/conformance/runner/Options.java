package clinic.conformance.runner;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Command-line options of the form {@code --name value} and {@code --flag}. */
record Options(String command, Map<String, String> values) {
    private static final Set<String> FLAGS = Set.of("extended", "help", "quick");
    private static final Set<String> VALUES = Set.of("target-url", "db-url", "mock-url", "reports", "port", "corpus-size",
            "only", "exclude", "baseline", "config");

    static Options parse(String[] args) {
        if (args.length == 0) {
            return new Options("help", Map.of());
        }
        var values = new HashMap<String, String>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new UsageError("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            int eq = name.indexOf('=');
            String key = eq >= 0 ? name.substring(0, eq) : name;
            if (!FLAGS.contains(key) && !VALUES.contains(key)) {
                throw new UsageError("unknown option '--" + key + "'");
            }
            if (eq >= 0) {
                values.put(key, name.substring(eq + 1));
            } else if (FLAGS.contains(name)) {
                values.put(name, "true");
            } else if (i + 1 < args.length) {
                values.put(name, args[++i]);
            } else {
                throw new UsageError("--" + name + " needs a value");
            }
        }
        if (values.containsKey("config")) {
            readConfig(java.nio.file.Path.of(values.get("config"))).forEach(values::putIfAbsent);
        }
        return new Options(args[0], values);
    }

    /** A properties file whose keys are the option names ({@code target-url=…}); the command line wins. */
    static Map<String, String> readConfig(java.nio.file.Path file) {
        var properties = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (java.io.IOException e) {
            throw new UsageError("cannot read the config file " + file + ": " + e.getMessage());
        }
        var values = new HashMap<String, String>();
        for (String key : properties.stringPropertyNames()) {
            if (!FLAGS.contains(key) && !VALUES.contains(key) || key.equals("config")) {
                throw new UsageError("unknown key '" + key + "' in " + file);
            }
            if (FLAGS.contains(key) && !Boolean.parseBoolean(properties.getProperty(key))) {
                continue;
            }
            values.put(key, properties.getProperty(key).strip());
        }
        return values;
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    /** A mistake in how the harness was called: exit code 2 with one sentence. */
    static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }
}
