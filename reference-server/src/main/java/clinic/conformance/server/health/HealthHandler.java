package clinic.conformance.server.health;

import clinic.conformance.server.db.Database;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.util.LinkedHashMap;

/** {@code GET /health}: 200 when the database answers, 503 when it does not. */
public final class HealthHandler {
    public static final String VERSION = "0.1.0";
    private final Database database;

    public HealthHandler(Database database) {
        this.database = database;
    }

    public void handle(Context ctx) {
        var body = new LinkedHashMap<String, Object>();
        body.put("name", "clinic-conformance-reference-server");
        body.put("version", VERSION);
        try {
            database.asService(connection -> {
                try (var statement = connection.createStatement()) {
                    statement.execute("select 1");
                }
                return null;
            });
            body.put("status", "ok");
            body.put("database", "ok");
            ctx.status(200).json(body);
        } catch (SQLException | RuntimeException e) {
            body.put("status", "unavailable");
            body.put("database", "unreachable");
            ctx.status(503).json(body);
        }
    }
}
