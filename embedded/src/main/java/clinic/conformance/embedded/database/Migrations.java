package clinic.conformance.embedded.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Applies the project's {@code supabase/} SQL, shipped on the classpath: the plain-PostgreSQL stand-in for Supabase's
 * auth schema (only where {@code auth.jwt()} does not exist yet), then every migration in file-name order.
 */
public final class Migrations {
    public static final String STANDIN = "supabase/standin/auth_standin.sql";
    public static final String MIGRATIONS = "supabase/migrations";

    private Migrations() {
    }

    /** The stand-in's non-superuser owner, as Supabase's {@code postgres} role is: the migrations run as it. */
    public static final String OWNER = "project_owner";

    public static void apply(Connection connection) throws SQLException {
        boolean standIn = !hasAuthJwt(connection);
        if (standIn) {
            execute(connection, STANDIN, read(STANDIN));
            execute(connection, "set role " + OWNER, "set role " + OWNER);
        }
        try {
            for (String name : migrationNames()) {
                execute(connection, name, read(MIGRATIONS + "/" + name));
            }
        } finally {
            if (standIn) {
                execute(connection, "reset role", "reset role");
            }
        }
    }

    static boolean hasAuthJwt(Connection connection) throws SQLException {
        try (var statement = connection.createStatement();
             var rows = statement.executeQuery("select to_regprocedure('auth.jwt()') is not null")) {
            rows.next();
            return rows.getBoolean(1);
        }
    }

    /** The migration files' names, sorted: Supabase CLI order ({@code <timestamp>_<name>.sql}). */
    public static List<String> migrationNames() {
        var url = Migrations.class.getClassLoader().getResource(MIGRATIONS);
        if (url == null) {
            throw new IllegalStateException(MIGRATIONS + " is not on the classpath; rebuild the fixtures module");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = openJar(uri)) {
                    return list(jar.getPath("/" + MIGRATIONS));
                }
            }
            return list(Path.of(uri));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FileSystem openJar(URI uri) throws IOException {
        try {
            return FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
            throw new IllegalStateException("the migrations jar is already open elsewhere", e);
        }
    }

    private static List<String> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".sql")).sorted().toList();
        }
    }

    private static String read(String resource) {
        try (var in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void execute(Connection connection, String name, String sql) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new SQLException("applying " + name + " failed: " + e.getMessage(), e.getSQLState(), e);
        }
    }
}
