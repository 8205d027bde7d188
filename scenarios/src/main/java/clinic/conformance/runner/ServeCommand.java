package clinic.conformance.runner;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import clinic.conformance.fixtures.database.DatabaseProvisioner;
import clinic.conformance.fixtures.database.ProvisionedDatabase;
import clinic.conformance.fixtures.stub.GoogleCalendarMock;
import clinic.conformance.fixtures.stub.LlmMock;
import clinic.conformance.fixtures.target.EmbeddedTarget;
import clinic.conformance.server.ReferenceServer;
import clinic.conformance.server.config.ServerConfig;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.concurrent.CountDownLatch;

/**
 * {@code serve}: the reference server alone, with the default database provisioning and a WireMock standing in for
 * Google Calendar and the LLM. Prints its URL, its database and where the secret came from (never the secret).
 */
final class ServeCommand {
    private final Options options;
    private final PrintStream out;

    ServeCommand(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    int run() {
        var env = new HashMap<>(System.getenv());
        ProvisionedDatabase provisioned = null;
        if (env.getOrDefault(ServerConfig.DATABASE_URL, "").isBlank()) {
            try {
                provisioned = DatabaseProvisioner.fromEnv().provision();
            } catch (SQLException e) {
                throw new Harness.CannotRun(e.getMessage());
            }
            env.put(ServerConfig.DATABASE_URL, provisioned.url().jdbcUrl());
        }
        String secretSource = "environment variable " + ServerConfig.JWT_SECRET;
        if (env.getOrDefault(ServerConfig.JWT_SECRET, "").isBlank()) {
            env.put(ServerConfig.JWT_SECRET, EmbeddedTarget.randomSecret());
            secretSource = "generated for this process (set " + ServerConfig.JWT_SECRET + " to choose one)";
        }
        var mock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        mock.start();
        new GoogleCalendarMock(new WireMock("127.0.0.1", mock.port())).accepts();
        new LlmMock(new WireMock("127.0.0.1", mock.port())).answersByDefault();
        env.putIfAbsent(ServerConfig.GOOGLE_CALENDAR_BASE_URL, mock.baseUrl());
        env.putIfAbsent(ServerConfig.LLM_BASE_URL, mock.baseUrl() + "/v1");
        env.put(ServerConfig.PORT, options.get("port").orElse(env.getOrDefault(ServerConfig.PORT, "8080")));

        ReferenceServer server;
        try {
            server = ReferenceServer.start(ServerConfig.fromMap(env));
        } catch (RuntimeException e) {
            mock.stop();
            if (provisioned != null) {
                provisioned.close();
            }
            throw new Harness.CannotRun("the reference server could not start: " + e.getMessage());
        }
        ProvisionedDatabase database = provisioned;
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            mock.stop();
            if (database != null) {
                database.close();
            }
            stopped.countDown();
        }));
        out.println("reference server: " + server.url());
        out.println("database: " + (database != null ? database.url().redacted() + " (" + database.source() + ")"
                : "from " + ServerConfig.DATABASE_URL));
        out.println("mock (Google Calendar, LLM): " + mock.baseUrl());
        out.println("jwt secret: " + secretSource);
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
