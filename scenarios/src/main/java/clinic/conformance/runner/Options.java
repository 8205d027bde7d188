package clinic.conformance.runner;

import clinic.conformance.fixtures.database.DatabaseUrl;
import clinic.conformance.fixtures.vapi.Profile;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The harness's options, under one rule: {@code --db-url} on the command line, {@code db-url} in a {@code --config}
 * file, {@code CONFORMANCE_DB_URL} in the environment, in that order of precedence. Secrets are environment-only.
 */
record Options(String command, Map<String, String> values) {
    private static final Set<String> FLAGS = Set.of("extended", "help", "quick", "debug", "load-only");
    private static final Set<String> VALUES = Set.of("target-url", "db-url", "mock-url", "reports", "port", "corpus-size",
            "only", "exclude", "baseline", "config", "judge", "profile", "auth-url", "signing", "seed", "clients",
            "history-seconds", "vapi-auth", "refresh-reuse-seconds");
    static final String ENV_PREFIX = "CONFORMANCE_";

    static Options parse(String[] args) {
        return parse(args, System.getenv());
    }

    static Options parse(String[] args, Map<String, String> env) {
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
        Optional.ofNullable(values.getOrDefault("config", env.get(envName("config"))))
                .ifPresent(config -> readConfig(Path.of(config)).forEach(values::putIfAbsent));
        for (String key : VALUES) {
            Optional.ofNullable(env.get(envName(key))).filter(v -> !v.isBlank()).ifPresent(v -> values.putIfAbsent(key, v));
        }
        for (String key : FLAGS) {
            if (Boolean.parseBoolean(env.get(envName(key)))) {
                values.putIfAbsent(key, "true");
            }
        }
        return new Options(args[0], values);
    }

    /** The environment variable of an option: {@code db-url} is {@code CONFORMANCE_DB_URL}. */
    static String envName(String option) {
        return ENV_PREFIX + option.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** A properties file whose keys are the option names ({@code target-url=…}); the command line wins. */
    static Map<String, String> readConfig(Path file) {
        var properties = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UsageError("cannot read the config file " + file + " (" + e.getClass().getSimpleName() + ")");
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

    /** Checks every value's form before anything is provisioned or contacted. */
    Options validated() {
        get("target-url").ifPresent(url -> httpUrl("--target-url", url));
        get("mock-url").ifPresent(url -> httpUrl("--mock-url", url));
        get("auth-url").ifPresent(url -> httpUrl("--auth-url", url));
        get("db-url").ifPresent(url -> {
            try {
                DatabaseUrl.parse(url);
            } catch (IllegalArgumentException e) {
                throw new UsageError("--db-url: " + e.getMessage());
            }
        });
        get("port").ifPresent(port -> number("--port", port, 0, 65_535));
        get("profile").filter(profile -> !Set.of("seed", "vapi").contains(profile)).ifPresent(profile -> {
            throw new UsageError("--profile is seed or vapi, got '" + profile + "'");
        });
        get("signing").filter(signing -> !Set.of("es256", "hs256").contains(signing)).ifPresent(signing -> {
            throw new UsageError("--signing is es256 or hs256, got '" + signing + "'");
        });
        get("judge").filter(judge -> !Set.of("seed", "ratios").contains(judge)).ifPresent(judge -> {
            throw new UsageError("--judge is seed or ratios, got '" + judge + "'");
        });
        get("corpus-size").ifPresent(size -> number("--corpus-size", size, 1, 1_000_000));
        get("seed").ifPresent(seed -> number("--seed", seed, 0, Integer.MAX_VALUE));
        get("vapi-auth").filter(kind -> !clinic.conformance.fixtures.vapi.VapiCredentialKind.KINDS.contains(kind))
                .ifPresent(kind -> {
                    throw new UsageError("--vapi-auth is jwt, oauth2, bearer, secret or hmac, got '" + kind + "'");
                });
        get("clients").ifPresent(clients -> number("--clients", clients, 1, 64));
        get("history-seconds").ifPresent(seconds -> number("--history-seconds", seconds, 1, 600));
        get("refresh-reuse-seconds").ifPresent(seconds -> number("--refresh-reuse-seconds", seconds, 0, 300));
        get("baseline").map(Path::of).ifPresent(file -> {
            if (!Files.isReadable(file)) {
                throw new UsageError("--baseline: no readable file at " + file);
            }
        });
        return this;
    }

    private static void httpUrl(String option, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new UsageError(option + " is not a URL: " + e.getReason());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new UsageError(option + " must be an http:// or https:// URL with a host, got '" + url + "'");
        }
    }

    private static void number(String option, String value, int min, int max) {
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed < min || parsed > max) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new UsageError(option + " must be a whole number from " + min + " to " + max + ", got '" + value + "'");
        }
    }

    /**
     * How the embedded default signs (SPEC §1 v2): {@code es256} (a fresh signing key, as every new Supabase project
     * since 2025-10) unless {@code --signing hs256} (a legacy project: a random HS256 secret and an empty JWKS).
     */
    Map<String, String> embeddedSettings() {
        if (!"hs256".equals(get("signing").orElse("es256"))) {
            return Map.of();
        }
        byte[] secret = new byte[48];
        new java.security.SecureRandom().nextBytes(secret);
        return Map.of("JWT_SIGNING_KEY", "", "JWT_SECRET", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** The profile certified (SPEC §1 v2): {@code seed} unless {@code --profile vapi}. */
    Profile profile() {
        return get("profile").map(Profile::parse).orElse(Profile.SEED);
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
