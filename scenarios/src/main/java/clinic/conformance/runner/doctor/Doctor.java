package clinic.conformance.runner.doctor;

import clinic.conformance.fixtures.database.DatabaseUrl;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./harness doctor} (contract §2 v2, §5): what a target lacks of {@link Requirements}, one line each, before
 * anything is seeded. A table or column is looked up in the catalog; a function by its signature; an endpoint is
 * there when it answers anything but 404 or 405 to a request without credentials.
 */
public final class Doctor {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final URI target;
    private final DatabaseUrl database;

    public Doctor(URI target, DatabaseUrl database) {
        this.target = target;
        this.database = database;
    }

    /** The requirements of a run with or without the extended series that the target does not meet. */
    public List<Requirement> missing(boolean extended) throws SQLException {
        var missing = new ArrayList<Requirement>();
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        try (Connection connection = database.connect()) {
            for (Requirement requirement : Requirements.forRun(extended)) {
                boolean present = switch (requirement.kind()) {
                    case TABLE -> exists(connection, "select to_regclass(?) is not null", requirement.name());
                    case COLUMN -> column(connection, requirement.name());
                    case FUNCTION -> exists(connection, "select to_regprocedure(?) is not null", requirement.name());
                    case ENDPOINT -> answers(http, requirement.name());
                };
                if (!present) {
                    missing.add(requirement);
                }
            }
        }
        return missing;
    }

    private static boolean column(Connection connection, String name) throws SQLException {
        int last = name.lastIndexOf('.');
        int first = name.indexOf('.');
        return exists(connection, "select count(*) > 0 from information_schema.columns where table_schema = ? "
                + "and table_name = ? and column_name = ?", name.substring(0, first), name.substring(first + 1, last),
                name.substring(last + 1));
    }

    private static boolean exists(Connection connection, String sql, String... parameters) throws SQLException {
        try (var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (var rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        } catch (SQLException e) {
            // an unparsable signature or name is as missing as an absent one
            if ("42601".equals(e.getSQLState()) || e.getSQLState() != null && e.getSQLState().startsWith("42")) {
                return false;
            }
            throw e;
        }
    }

    private boolean answers(HttpClient http, String endpoint) {
        String[] parts = endpoint.split(" ", 2);
        var request = HttpRequest.newBuilder(target.resolve(parts[1])).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .method(parts[0], parts[0].equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}"));
        try {
            int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            return status != 404 && status != 405;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
