package clinic.conformance.embedded;

import clinic.conformance.embedded.database.DatabaseProvisioner;
import clinic.conformance.embedded.database.ProvisionedDatabase;
import clinic.conformance.fixtures.database.DatabaseUrl;
import clinic.conformance.fixtures.target.EmbeddedDefault;
import clinic.conformance.fixtures.target.Profile;
import clinic.conformance.fixtures.target.Target;
import clinic.conformance.fixtures.target.TargetAuth;
import clinic.conformance.server.ReferenceServer;
import clinic.conformance.server.auth.SigningKey;
import clinic.conformance.server.config.ServerConfig;
import clinic.conformance.server.gateway.ApiKeys;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * The embedded default (contract §5), the one assembly behind {@code certify}, {@code serve}, {@code budgets} and the
 * project's own tests: a fresh database with the migrations, WireMock for Google and the LLM, and the reference server.
 * The builder lets a test assemble the server from other parts or change its SQL.
 */
public final class EmbeddedTarget implements EmbeddedDefault.Running {
    private final ProvisionedDatabase provisioned;
    private final MockServer mock;
    private final ReferenceServer server;
    private final Target target;
    private final String databaseSource;
    private final ApiKeys apiKeys;
    private final Map<String, java.time.Duration> startTimes;

    private EmbeddedTarget(ProvisionedDatabase provisioned, DatabaseUrl database, String databaseSource,
                           MockServer mock, ReferenceServer server, ServerConfig config, Profile profile,
                           Map<String, java.time.Duration> startTimes) {
        this.provisioned = provisioned;
        this.startTimes = startTimes;
        this.mock = mock;
        this.server = server;
        this.databaseSource = databaseSource;
        this.apiKeys = config.auth().apiKeys();
        this.target = new Target(server.url(), database, auth(server, config),
                Optional.of(mock.url()), "embedded reference server (" + databaseSource + ")", profile);
    }

    /**
     * What a team gives the harness for a project of its own: the service and anon keys — the new-style
     * {@code sb_secret_}/{@code sb_publishable_} pair where the project has one and no legacy secret, else the legacy
     * {@code service_role}/{@code anon} JWTs signed with the project's key — the private JWK it signs with, and any
     * legacy secret.
     */
    private static TargetAuth auth(ReferenceServer server, ServerConfig config) {
        URI url = server.url();
        var keys = config.auth().apiKeys();
        if (keys.configured() && config.jwtSecret() == null) {
            return new TargetAuth(TargetAuth.defaultAuthUrl(url), keys.secret(), Optional.ofNullable(config.jwtSigningKey()),
                    Optional.empty(), keys.publishable());
        }
        return new TargetAuth(TargetAuth.defaultAuthUrl(url), Optional.of(legacyKey(server, "service_role")),
                Optional.ofNullable(config.jwtSigningKey()), Optional.ofNullable(config.jwtSecret()),
                Optional.of(legacyKey(server, "anon")));
    }

    private static String legacyKey(ReferenceServer server, String role) {
        var now = java.time.Instant.now();
        return server.signingKey().sign(Map.of("iss", "supabase", "role", role,
                "iat", now.getEpochSecond(), "exp", now.plus(java.time.Duration.ofDays(3650)).getEpochSecond()));
    }

    public static Builder builder() {
        return new Builder();
    }

    public static EmbeddedTarget start() {
        return builder().start();
    }

    @Override
    public Target target() {
        return target;
    }

    public Optional<ProvisionedDatabase> database() {
        return Optional.ofNullable(provisioned);
    }

    public ReferenceServer server() {
        return server;
    }

    @Override
    public java.util.OptionalLong mockPid() {
        return mock.pid();
    }

    @Override
    public Optional<java.time.Duration> refreshReuseInterval() {
        return Optional.of(server.refreshReuseInterval());
    }

    @Override
    public Map<String, java.time.Duration> startTimes() {
        return startTimes;
    }

    /** The server's new-style API keys (none where they were blanked). */
    ApiKeys apiKeys() {
        return apiKeys;
    }

    URI mockUrl() {
        return mock.url();
    }

    /** Where the database came from: {@code --db-url}, Testcontainers, the local PostgreSQL, or DATABASE_URL. */
    String databaseSource() {
        return databaseSource;
    }

    @Override
    public void close() {
        server.close();
        mock.close();
        if (provisioned != null) {
            provisioned.close();
        }
    }

    /** Server settings for a fast, local run: every duration short, a fresh ES256 signing key per run. */
    static Map<String, String> serverEnvironment(String databaseUrl, String mockUrl) {
        var env = new HashMap<String, String>();
        env.put(ServerConfig.PORT, "0");
        env.put(ServerConfig.DATABASE_URL, databaseUrl);
        env.put(ServerConfig.JWT_SIGNING_KEY, SigningKey.generateEs256());
        var keys = ApiKeys.generate();
        env.put(ServerConfig.SUPABASE_SECRET_KEY, keys.secret().orElseThrow());
        env.put(ServerConfig.SUPABASE_PUBLISHABLE_KEY, keys.publishable().orElseThrow());
        env.put(ServerConfig.GOOGLE_CALENDAR_BASE_URL, mockUrl);
        // Google's OAuth token endpoint stands at the mock too: a 401 from "Google" makes the server fetch a new token
        env.put(ServerConfig.GOOGLE_OAUTH_TOKEN_URL, mockUrl + TOKEN_PATH);
        env.put(ServerConfig.GOOGLE_OAUTH_CLIENT_ID, "embedded-default.apps.googleusercontent.com");
        env.put(ServerConfig.GOOGLE_OAUTH_CLIENT_SECRET, randomSecret());
        env.put(ServerConfig.GOOGLE_OAUTH_REFRESH_TOKEN, "1//" + randomSecret());
        env.put(ServerConfig.CALENDAR_RETRY_BASE_MS, "200");
        env.put(ServerConfig.CALENDAR_RETRY_MAX_MS, "2000");
        env.put(ServerConfig.CALENDAR_POLL_MS, "100");
        // GoTrue's rule with a short interval: P1.9 waits it out twice, and the runner is told it (refreshReuseInterval)
        env.put(ServerConfig.AUTH_REFRESH_REUSE_INTERVAL_SECONDS, "2");
        env.put(ServerConfig.LLM_BASE_URL, mockUrl + "/v1");
        env.put(ServerConfig.EMBEDDINGS_BASE_URL, mockUrl + "/v1");
        env.put(ServerConfig.LLM_MODEL, "mock-llm");
        env.put(ServerConfig.LLM_TIMEOUT_MS, "5000");
        return env;
    }

    /** Google's token endpoint ({@code oauth2.googleapis.com/token}) as the mock answers it: a fresh access token each time. */
    static final String TOKEN_PATH = "/token";

    private static void answerTokenRequests(MockServer mock) {
        new com.github.tomakehurst.wiremock.client.WireMock(mock.url().getHost(), mock.url().getPort())
                .register(com.github.tomakehurst.wiremock.client.WireMock.post(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(TOKEN_PATH))
                .atPriority(10)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(
                        "{\"access_token\": \"ya29.{{randomValue length=32 type='ALPHANUMERIC'}}\", \"expires_in\": 3599, "
                                + "\"scope\": \"https://www.googleapis.com/auth/calendar.events\", \"token_type\": \"Bearer\"}")
                        .withTransformers("response-template")));
    }

    public static String randomSecret() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(new SecureRandom().generateSeed(48));
    }

    /** Assemble an embedded target; {@link #start()} provisions everything. */
    public static final class Builder {
        private BiFunction<ReferenceServer.Parts, ServerConfig, ReferenceServer.Parts> parts = (p, config) -> p;
        private final List<String> databaseChanges = new ArrayList<>();
        private final Map<String, String> overrides = new HashMap<>();
        private Optional<String> postgresServer = Optional.empty();
        private boolean dockerHost;
        private boolean mockInItsOwnProcess;
        private Profile profile = Profile.SEED;

        /** Swaps parts of the reference server through its composition root. */
        public Builder withParts(UnaryOperator<ReferenceServer.Parts> change) {
            this.parts = (p, config) -> change.apply(p);
            return this;
        }

        /** Swaps parts that need the server's configuration (its secret, its Google base URL). */
        public Builder withPartsFor(BiFunction<ReferenceServer.Parts, ServerConfig, ReferenceServer.Parts> change) {
            this.parts = change;
            return this;
        }

        /** SQL run on the fresh database after the migrations, before the server starts. */
        public Builder withDatabaseChange(String sql) {
            databaseChanges.add(sql);
            return this;
        }

        /** A legacy project: HS256 with a random secret, no signing key, an empty JWKS. */
        public Builder withLegacySecret() {
            overrides.put(ServerConfig.JWT_SIGNING_KEY, "");
            overrides.put(ServerConfig.JWT_SECRET, randomSecret());
            return this;
        }

        /** A server environment variable, as {@link ServerConfig} reads it; a blank value removes the default. */
        public Builder withServerSetting(String name, String value) {
            overrides.put(name, value);
            return this;
        }

        /** Server environment variables, as {@link ServerConfig} reads them; {@code DATABASE_URL} skips provisioning. */
        public Builder withServerSettings(Map<String, String> settings) {
            overrides.putAll(settings);
            return this;
        }

        /** The PostgreSQL server the fresh database is created on ({@code --db-url}). */
        public Builder withPostgresServer(Optional<String> server) {
            this.postgresServer = server;
            return this;
        }

        /** WireMock for Google and the LLM in a process of its own, not in this JVM (the load series). */
        public Builder withMockInItsOwnProcess(boolean own) {
            this.mockInItsOwnProcess = own;
            return this;
        }

        /** Whether {@code DOCKER_HOST} names a Docker engine (Testcontainers is asked only where one may answer). */
        public Builder withDockerHost(boolean set) {
            this.dockerHost = set;
            return this;
        }

        /** The profile to certify: the server answers refusals that way (contract §1 v2); the seed's by default. */
        public Builder withProfile(Profile certified) {
            this.profile = certified;
            return this;
        }

        public EmbeddedTarget start() {
            var times = new java.util.LinkedHashMap<String, java.time.Duration>();
            long started = System.nanoTime();
            String existing = overrides.getOrDefault(ServerConfig.DATABASE_URL, "");
            ProvisionedDatabase provisioned = existing.isBlank() ? provision() : null;
            times.put("database: a fresh one, migrated", java.time.Duration.ofNanos(System.nanoTime() - started));
            DatabaseUrl database = provisioned != null ? provisioned.url() : DatabaseUrl.parse(existing);
            String source = provisioned != null ? provisioned.source() : "from " + ServerConfig.DATABASE_URL;
            MockServer mock = null;
            try {
                applyChanges(database);
                started = System.nanoTime();
                mock = mockInItsOwnProcess ? MockServer.inItsOwnProcess() : MockServer.inThisJvm();
                answerTokenRequests(mock);
                times.put("Google/LLM mock: WireMock" + (mockInItsOwnProcess ? ", its own process" : ""),
                        java.time.Duration.ofNanos(System.nanoTime() - started));
                started = System.nanoTime();
                var env = serverEnvironment(database.jdbcUrl(), mock.url().toString());
                env.put(ServerConfig.VAPI_REFUSALS, profile == Profile.SEED ? "status" : "results");
                overrides.forEach((name, value) -> {
                    if (value.isBlank()) {
                        env.remove(name);
                    } else {
                        env.put(name, value);
                    }
                });
                var config = ServerConfig.fromMap(env);
                var server = new ReferenceServer(config, parts.apply(ReferenceServer.Parts.defaults(config), config)).start();
                times.put("reference server: model, pool, routes", java.time.Duration.ofNanos(System.nanoTime() - started));
                return new EmbeddedTarget(provisioned, database, source, mock, server, config, profile,
                        java.util.Collections.unmodifiableMap(times));
            } catch (RuntimeException e) {
                if (mock != null) {
                    mock.close();
                }
                if (provisioned != null) {
                    provisioned.close();
                }
                throw e;
            }
        }

        private ProvisionedDatabase provision() {
            try {
                return new DatabaseProvisioner(postgresServer, dockerHost).provision();
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        private void applyChanges(DatabaseUrl database) {
            if (databaseChanges.isEmpty()) {
                return;
            }
            try (var connection = database.connect(); var statement = connection.createStatement()) {
                for (String sql : databaseChanges) {
                    statement.execute(sql);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("database change failed: " + e.getMessage(), e);
            }
        }
    }
}
