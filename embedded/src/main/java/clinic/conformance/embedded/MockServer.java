package clinic.conformance.embedded;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The WireMock that stands in for Google Calendar and the LLM: in this JVM (the default: certification needs nothing
 * else), or in a process of its own, where production has Google — the load series measures the server's CPU apart
 * from the mock's that way.
 */
interface MockServer extends AutoCloseable {
    URI url();

    /** The process the mock runs in, when it runs in its own. */
    OptionalLong pid();

    @Override
    void close();

    static MockServer inThisJvm() {
        var server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return new MockServer() {
            @Override
            public URI url() {
                return URI.create(server.baseUrl());
            }

            @Override
            public OptionalLong pid() {
                return OptionalLong.empty();
            }

            @Override
            public void close() {
                server.stop();
            }
        };
    }

    /** WireMock's standalone main ({@code wiremock.Run}) in a JVM of its own, on a free loopback port. */
    static MockServer inItsOwnProcess() {
        try {
            int port;
            try (var socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            String jar = Path.of(WireMockServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            Path log = Files.createTempFile("wiremock-", ".log");
            log.toFile().deleteOnExit();
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            var builder = new ProcessBuilder(List.of(java.toString(), "-Xmx384m", "-cp", jar, "wiremock.Run",
                    "--port", Integer.toString(port), "--bind-address", "127.0.0.1", "--disable-banner"))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            // a profiler attached to the harness (JAVA_TOOL_OPTIONS) profiles the server, not the mock too
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            Process process = builder.start();
            URI url = URI.create("http://127.0.0.1:" + port);
            awaitHealthy(process, url, log);
            return new MockServer() {
                @Override
                public URI url() {
                    return url;
                }

                @Override
                public OptionalLong pid() {
                    return OptionalLong.of(process.pid());
                }

                @Override
                public void close() {
                    process.destroy();
                    try {
                        if (!process.waitFor(10, TimeUnit.SECONDS)) {
                            process.destroyForcibly();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        process.destroyForcibly();
                    }
                }
            };
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("the mock could not start in a process of its own: " + e.getMessage(), e);
        }
    }

    private static void awaitHealthy(Process process, URI url, Path log) throws IOException {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("WireMock exited with " + process.exitValue() + "; its log: " + log);
            }
            try {
                var answer = http.send(HttpRequest.newBuilder(url.resolve("/__admin/health")).timeout(Duration.ofSeconds(1))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while WireMock started", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while WireMock started", e);
            }
        }
        process.destroyForcibly();
        throw new IOException("WireMock did not answer within 30 s; its log: " + log);
    }
}
