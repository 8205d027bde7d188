package clinic.conformance.runner.cli;

import clinic.conformance.fixtures.database.DatabaseUrl;
import clinic.conformance.fixtures.run.RunOptions;
import clinic.conformance.fixtures.target.EmbeddedDefault;
import clinic.conformance.fixtures.target.Profile;
import clinic.conformance.fixtures.target.TargetAuth;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;

/**
 * The harness's one configuration reader. Every option under one rule: {@code --db-url} on the command line,
 * {@code db-url} in a {@code --config} file, {@code CONFORMANCE_DB_URL} in the environment, in that order of
 * precedence. Secrets (the API keys, the signing key, the legacy secret) are environment-only. The launcher's own
 * settings come as JVM properties. Nothing else in the runner or the checks reads the environment: what they need
 * is handed to them typed — the {@link RunOptions}, the {@link TargetAuth}, the embedded default's settings.
 */
public final class Options {
    private static final Set<String> FLAGS = Set.of("extended", "help", "quick", "debug", "load-only", "timings");
    private static final Set<String> VALUES = Set.of("target-url", "db-url", "mock-url", "reports", "port", "corpus-size",
            "only", "exclude", "baseline", "config", "judge", "profile", "auth-url", "signing", "seed", "clients",
            "history-seconds", "vapi-auth", "refresh-reuse-seconds", "attack-seed");
    private static final Set<String> SECRETS = Set.of(TargetAuth.SERVICE_KEY_ENV, TargetAuth.ANON_KEY_ENV,
            TargetAuth.SIGNING_KEY_ENV, TargetAuth.JWT_SECRET_ENV);
    /** Set by the launcher: the name it is called by, and the load generator's class path. */
    static final String LAUNCHER_PROPERTY = "conformance.launcher";
    static final String LOAD_CLASSPATH_PROPERTY = "conformance.load.classpath";
    static final String ENV_PREFIX = "CONFORMANCE_";

    private final String command;
    private final Map<String, String> values;
    private final Map<String, String> secrets;
    private final Map<String, String> launcher;
    private final boolean dockerHost;
    private final boolean serverDatabaseUrl;
    /** Parsed once, by {@link #validated()}. */
    private final Optional<URI> targetUrl;

    private Options(String command, Map<String, String> values, Map<String, String> secrets,
                    Map<String, String> launcher, boolean dockerHost, boolean serverDatabaseUrl,
                    Optional<URI> targetUrl) {
        this.command = command;
        this.values = Map.copyOf(values);
        this.secrets = Map.copyOf(secrets);
        this.launcher = Map.copyOf(launcher);
        this.dockerHost = dockerHost;
        this.serverDatabaseUrl = serverDatabaseUrl;
        this.targetUrl = targetUrl;
    }

    public static Options parse(String[] args) {
        var launcherProperties = new HashMap<String, String>();
        for (String key : new String[] {LAUNCHER_PROPERTY, LOAD_CLASSPATH_PROPERTY}) {
            Optional.ofNullable(System.getProperty(key)).ifPresent(value -> launcherProperties.put(key, value));
        }
        return parse(args, System.getenv(), launcherProperties);
    }

    public static Options parse(String[] args, Map<String, String> env) {
        return parse(args, env, Map.of());
    }

    public static Options parse(String[] args, Map<String, String> env, Map<String, String> launcherProperties) {
        var secrets = new HashMap<String, String>();
        SECRETS.forEach(name -> Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank())
                .ifPresent(value -> secrets.put(name, value)));
        boolean dockerHost = !env.getOrDefault("DOCKER_HOST", "").isBlank();
        boolean serverDatabaseUrl = !env.getOrDefault("DATABASE_URL", "").isBlank();
        if (args.length == 0) {
            return new Options("help", Map.of(), secrets, launcherProperties, dockerHost, serverDatabaseUrl,
                    Optional.empty());
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
        return new Options(args[0], values, secrets, launcherProperties, dockerHost, serverDatabaseUrl,
                Optional.empty());
    }

    public String command() {
        return command;
    }

    @Override
    public String toString() {
        return "Options[" + command + ", " + values.keySet() + ", secrets " + secrets.keySet() + "]";
    }

    /** The environment variable of an option: {@code db-url} is {@code CONFORMANCE_DB_URL}. */
    public static String envName(String option) {
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

    /** Checks every value's form before anything is provisioned or contacted; parses the target URL, once. */
    public Options validated() {
        Optional<URI> target = get("target-url").map(url -> httpUrl("--target-url", url));
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
        get("attack-seed").ifPresent(seed -> number("--attack-seed", seed, 0, Integer.MAX_VALUE));
        get("baseline").map(Path::of).ifPresent(file -> {
            if (!Files.isReadable(file)) {
                throw new UsageError("--baseline: no readable file at " + file);
            }
        });
        return new Options(command, values, secrets, launcher, dockerHost, serverDatabaseUrl, target);
    }

    private static URI httpUrl(String option, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new UsageError(option + " is not a URL: " + e.getReason());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new UsageError(option + " must be an http:// or https:// URL with a host, got '" + url + "'");
        }
        return uri;
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
     * Whether this command creates the embedded default's database on the local PostgreSQL (no target, no
     * {@code --db-url}, and for {@code serve} no {@code DATABASE_URL}): the launcher makes sure it has pgvector first,
     * asking here rather than reading the arguments itself (a {@code --config} file's target counts too).
     */
    public boolean usesLocalPostgres() {
        return Set.of("certify", "budgets", "serve").contains(command) && get("target-url").isEmpty()
                && get("db-url").isEmpty() && !(command.equals("serve") && serverDatabaseUrl);
    }

    /** The target's URL ({@code --target-url}), parsed once; empty: the embedded default. */
    public Optional<URI> targetUrl() {
        return targetUrl;
    }

    /** Where the reports go ({@code --reports}, default {@code reports}). */
    public Path reports() {
        return Path.of(get("reports").orElse("reports")).toAbsolutePath();
    }

    /** The run's choices that shape its checks. */
    public RunOptions runOptions() {
        var defaults = RunOptions.defaults(reports());
        return new RunOptions(get("vapi-auth").orElse(defaults.vapiAuth()),
                get("corpus-size").map(Integer::parseInt).orElse(defaults.corpusSize()),
                get("seed").map(seed -> OptionalLong.of(Long.parseLong(seed))).orElse(defaults.historySeed()),
                get("clients").map(Integer::parseInt).orElse(defaults.historyClients()),
                get("history-seconds").map(Integer::parseInt).orElse(defaults.historySeconds()),
                get("refresh-reuse-seconds").map(Long::parseLong).map(Duration::ofSeconds).orElse(defaults.refreshReuse()),
                get("attack-seed").map(seed -> OptionalLong.of(Long.parseLong(seed))).orElse(defaults.attackSeed()),
                defaults.reports());
    }

    /**
     * How identities are had for a target at {@code url} (contract §5): {@code --auth-url} (default
     * {@code <target-url>/auth/v1}) and, from the environment only, the service and anon keys, the imported signing
     * key and the legacy secret.
     */
    public TargetAuth targetAuth(URI url) {
        return new TargetAuth(get("auth-url").map(URI::create).orElse(TargetAuth.defaultAuthUrl(url)),
                secret(TargetAuth.SERVICE_KEY_ENV), secret(TargetAuth.SIGNING_KEY_ENV),
                secret(TargetAuth.JWT_SECRET_ENV), secret(TargetAuth.ANON_KEY_ENV));
    }

    /**
     * The embedded default as asked for: its PostgreSQL server ({@code --db-url}), profile, and how it signs
     * (contract §1 v2): {@code es256} (a fresh signing key, as every new Supabase project since 2025-10) unless
     * {@code --signing hs256} (a legacy project: a random HS256 secret and an empty JWKS).
     */
    public EmbeddedDefault.Settings embeddedSettings() {
        return new EmbeddedDefault.Settings(get("db-url"), profile(), "hs256".equals(get("signing").orElse("es256"))
                ? EmbeddedDefault.Signing.HS256 : EmbeddedDefault.Signing.ES256, true, dockerHost, false);
    }

    /** {@code serve}'s port ({@code --port}); empty: the reference server's {@code PORT}, else 8080. */
    public Optional<Integer> port() {
        return get("port").map(Integer::parseInt);
    }

    /** The name the launcher is called by ({@code ./harness}, or the released zip's {@code bin/conformance}). */
    public String launcher() {
        return launcher.getOrDefault(LAUNCHER_PROPERTY, "./harness");
    }

    /** The load generator's class path, where the launcher gives one. */
    public Optional<String> loadClasspath() {
        return Optional.ofNullable(launcher.get(LOAD_CLASSPATH_PROPERTY)).filter(path -> !path.isBlank());
    }

    private Optional<String> secret(String name) {
        return Optional.ofNullable(secrets.get(name));
    }

    /** The profile certified (contract §1 v2): {@code seed} unless {@code --profile vapi}. */
    public Profile profile() {
        return get("profile").map(Profile::parse).orElse(Profile.SEED);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public boolean flag(String name) {
        return values.containsKey(name);
    }
}
