package clinic.conformance.embedded;

import clinic.conformance.fixtures.stub.GoogleCalendarMock;
import clinic.conformance.fixtures.stub.LlmMock;
import clinic.conformance.fixtures.stub.MockAdmin;
import clinic.conformance.fixtures.target.EmbeddedDefault;
import clinic.conformance.server.config.ServerConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code serve}: the embedded default's assembly with the mock answering like Google and the LLM, kept running.
 * The process's own server variables ({@code DATABASE_URL}, {@code JWT_SECRET}, …) override the embedded defaults.
 * Prints its URL, its database (without a password), its mock and where the secret came from (never the secret).
 */
final class ServeCommand {
    private final Map<String, String> env;
    private final PrintStream out;

    ServeCommand(Map<String, String> env, PrintStream out) {
        this.env = env;
        this.out = out;
    }

    /** @param env the reference server's variables this process's environment sets ({@link ServerConfig#environment()}) */
    int run(EmbeddedDefault.Settings defaults, Optional<Integer> port) {
        var settings = new HashMap<String, String>(env);
        settings.put(ServerConfig.PORT, port.map(String::valueOf).orElse(env.getOrDefault(ServerConfig.PORT, "8080")));
        boolean ownSecret = !env.getOrDefault(ServerConfig.JWT_SECRET, "").isBlank();
        boolean ownKey = !env.getOrDefault(ServerConfig.JWT_SIGNING_KEY, "").isBlank();
        EmbeddedTarget embedded = EmbeddedTarget.builder().withPostgresServer(defaults.postgresServer())
                .withDockerHost(defaults.dockerHost()).withServerSettings(settings).start();
        var mock = MockAdmin.at(embedded.mockUrl());
        new GoogleCalendarMock(mock).accepts();
        new LlmMock(mock).answersByDefault();
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            embedded.close();
            stopped.countDown();
        }));
        out.println("reference server: " + embedded.target().url());
        out.println("database: " + embedded.target().database().redacted() + " (" + embedded.databaseSource() + ")");
        out.println("mock (Google Calendar, LLM): " + embedded.mockUrl());
        out.println("signing key: " + embedded.server().signingAlgorithm() + ", " + (ownKey ? "environment variable "
                + ServerConfig.JWT_SIGNING_KEY : "generated for this process (set " + ServerConfig.JWT_SIGNING_KEY
                + " to a private JWK to choose one)") + "; public keys at " + embedded.target().auth().authUrl()
                + "/.well-known/jwks.json");
        out.println("API keys: " + apiKeys(embedded));
        out.println("legacy HS256 secret: " + (ownSecret ? "environment variable " + ServerConfig.JWT_SECRET
                + " (HS256 tokens accepted)" : "none (HS256 tokens refused)"));
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Where the project's API keys are: the environment's, or a pair generated for this process and written to a file
     * only this user can read — its path is printed, never the keys.
     */
    private String apiKeys(EmbeddedTarget embedded) {
        if (!env.getOrDefault(ServerConfig.SUPABASE_SECRET_KEY, "").isBlank()) {
            return "environment variables " + ServerConfig.SUPABASE_SECRET_KEY + ", " + ServerConfig.SUPABASE_PUBLISHABLE_KEY;
        }
        var auth = embedded.target().auth();
        var keys = embedded.apiKeys();
        if (!keys.configured()) {
            return "none: no gateway before /auth/v1";
        }
        try {
            Path file = Files.createTempFile("serve-api-keys-", ".env",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            // the harness's pair: the new keys, or the legacy JWT keys while JWT_SECRET makes this a legacy project
            Files.writeString(file, ServerConfig.SUPABASE_SECRET_KEY + "=" + keys.secret().orElseThrow() + "\n"
                    + ServerConfig.SUPABASE_PUBLISHABLE_KEY + "=" + keys.publishable().orElseThrow() + "\n"
                    + "CONFORMANCE_SERVICE_KEY=" + auth.serviceKey().orElseThrow() + "\n"
                    + "CONFORMANCE_ANON_KEY=" + auth.anonKey().orElseThrow() + "\n");
            file.toFile().deleteOnExit();
            return "generated for this process (sb_secret_…, sb_publishable_…), in " + file + " (readable by this user only)";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write the generated API keys: " + e.getMessage(), e);
        }
    }
}
