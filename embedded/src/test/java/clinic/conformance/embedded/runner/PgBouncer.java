package clinic.conformance.embedded.runner;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's PgBouncer before the local PostgreSQL, standing in for Supavisor (the pooler a CI runner reaches a
 * hosted project through): {@code session} mode as on {@code :5432}, {@code transaction} mode as on {@code :6543},
 * where a session's {@code SET} or prepared statement does not survive its transaction. Every database name passes
 * through to the server. {@code ./harness test} installs the package.
 */
final class PgBouncer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private PgBouncer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static PgBouncer start(String mode) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("pgbouncer-" + mode);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = freePort();
        Files.writeString(dir.resolve("users.txt"), "\"postgres\" \"\"\n");
        Files.writeString(dir.resolve("pgbouncer.ini"), """
                [databases]
                * = host=127.0.0.1 port=5432
                [pgbouncer]
                listen_addr = 127.0.0.1
                listen_port = %d
                unix_socket_dir =
                auth_type = trust
                auth_file = %s
                pool_mode = %s
                max_client_conn = 400
                default_pool_size = 40
                ignore_startup_parameters = extra_float_digits,options
                logfile = %s
                """.formatted(port, dir.resolve("users.txt"), mode, dir.resolve("pgbouncer.log")));
        for (String file : new String[] {"users.txt", "pgbouncer.ini"}) {
            Files.setPosixFilePermissions(dir.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
        }
        // PgBouncer runs as postgres where the tests run as root: it must be able to write its log
        Files.setPosixFilePermissions(Files.createFile(dir.resolve("pgbouncer.log")),
                PosixFilePermissions.fromString("rw-rw-rw-"));
        var command = new ArrayList<>(List.of(binary()));
        if ("root".equals(System.getProperty("user.name"))) {
            // PgBouncer will not run as root
            command.addAll(List.of("-u", "postgres"));
        }
        command.add(dir.resolve("pgbouncer.ini").toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        var bouncer = new PgBouncer(process, port, dir);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!bouncer.accepts()) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                bouncer.close();
                throw new IllegalStateException("PgBouncer (" + mode + " mode) did not start: "
                        + Files.readString(dir.resolve("stdout.txt")) + Files.readString(dir.resolve("pgbouncer.log")));
            }
            Thread.sleep(100);
        }
        return bouncer;
    }

    /** A {@code postgresql://} URL of {@code database} through this pooler. */
    String url(String database) {
        return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
    }

    int port() {
        return port;
    }

    private boolean accepts() {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String binary() {
        for (String candidate : new String[] {"/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("pgbouncer is not installed (./harness test installs Debian's package)");
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
