package clinic.conformance.runner.load;

import clinic.conformance.fixtures.database.DatabaseUrl;
import clinic.conformance.fixtures.database.TargetDatabase;
import clinic.conformance.fixtures.seed.Clinic;
import clinic.conformance.fixtures.seed.Member;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The database floor of the booking path: pgbench running the booking's INSERT as the member would run it — one
 * transaction, {@code set local role authenticated}, the member's claims, the same table with its RLS policies and
 * exclusion constraint, a fresh slot each time — at the same number of clients as the load's callers.
 */
final class InsertFloor {
    static final String SEQUENCE = "public.conformance_load_slots";
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private final DatabaseUrl database;
    private final TargetDatabase target;
    private final Path pgbench;

    private InsertFloor(DatabaseUrl database, Path pgbench) {
        this.database = database;
        this.target = new TargetDatabase(database);
        this.pgbench = pgbench;
    }

    /** The floor where pgbench is installed (PostgreSQL's client tools); empty, and said so, where it is not. */
    static Optional<InsertFloor> find(DatabaseUrl database) {
        var candidates = new ArrayList<Path>(List.of(Path.of("/usr/bin/pgbench")));
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            versions.map(version -> version.resolve("bin/pgbench")).forEach(candidates::add);
        } catch (IOException absent) {
            // no Debian PostgreSQL tree
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().map(path -> new InsertFloor(database, path));
    }

    /** Measured figures of one client count. */
    record Figures(double perSecond, double p50Ms, double p99Ms, long transactions) {
    }

    Figures measure(Clinic clinic, Member member, Member provider, int clients, int seconds, Path work)
            throws IOException, InterruptedException {
        target.asOwner(connection -> {
            try (var statement = connection.createStatement()) {
                statement.execute("create sequence if not exists " + SEQUENCE);
                statement.execute("grant usage on sequence " + SEQUENCE + " to authenticated");
            }
            return null;
        });
        Path script = work.resolve("insert-floor-" + clients + ".sql");
        Files.writeString(script, """
                begin;
                set local role authenticated;
                select set_config('request.jwt.claims', '%s', true);
                insert into public.appointments (org_id, clinic_id, provider_id, patient_name, patient_email, scheduled_at,
                  duration_minutes, google_calendar_event_id)
                values ('%s', '%s', '%s', 'Floor', 'floor@example.test',
                  timestamptz '2400-01-01 00:00:00+00' + nextval('%s') * interval '30 minutes', 30, md5(random()::text));
                commit;
                """.formatted(member.claimsJson(), clinic.id(), clinic.id(), provider.id(), SEQUENCE));
        Path logs = Files.createDirectories(work.resolve("pgbench-" + clients));
        URI uri = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        var command = new ArrayList<>(List.of(pgbench.toString(), "-n", "-c", Integer.toString(clients), "-j",
                Integer.toString(Math.min(clients, 4)), "-T", Integer.toString(seconds), "-f", script.toString(), "-l",
                "--log-prefix=" + logs.resolve("tx"), "-h", uri.getHost(), "-p",
                Integer.toString(uri.getPort() < 0 ? 5432 : uri.getPort()), "-U", credential(uri, "user", database.user())
                        .orElse("postgres"), uri.getPath().substring(1)));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        // the password goes by the environment, never the command line
        credential(uri, "password", database.password()).ifPresent(password -> builder.environment().put("PGPASSWORD", password));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("pgbench failed: " + output.lines().filter(line -> line.contains("error"))
                    .findFirst().orElse("exit " + process.exitValue()));
        }
        var matcher = TPS.matcher(output);
        double tps = matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
        long[] micros = latencies(logs);
        return new Figures(tps, percentile(micros, 50) / 1000.0, percentile(micros, 99) / 1000.0, micros.length);
    }

    /** The URL's own credential, else the query parameter of that name ({@code ?user=…&password=…}). */
    private static Optional<String> credential(URI uri, String name, String given) {
        if (given != null) {
            return Optional.of(given);
        }
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        return Arrays.stream(query.split("&")).filter(pair -> pair.startsWith(name + "="))
                .map(pair -> java.net.URLDecoder.decode(pair.substring(name.length() + 1), java.nio.charset.StandardCharsets.UTF_8))
                .findFirst();
    }

    /** Deletes the floor's rows and its sequence. */
    void cleanUp(Clinic clinic) {
        target.asOwner(connection -> {
            try (var statement = connection.prepareStatement(
                    "delete from public.appointments where org_id = ? and patient_email = 'floor@example.test'")) {
                statement.setObject(1, clinic.id());
                statement.executeUpdate();
            }
            try (var statement = connection.createStatement()) {
                statement.execute("drop sequence if exists " + SEQUENCE);
            }
            return null;
        });
    }

    /** Each transaction's latency in µs: the third column of pgbench's per-transaction log. */
    private static long[] latencies(Path logs) throws IOException {
        var all = new ArrayList<Long>();
        try (var files = Files.list(logs)) {
            for (Path file : files.toList()) {
                for (String line : Files.readAllLines(file)) {
                    String[] columns = line.split(" ");
                    if (columns.length >= 3) {
                        all.add(Long.parseLong(columns[2]));
                    }
                }
            }
        }
        long[] sorted = all.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(rank, sorted.length - 1))];
    }
}
