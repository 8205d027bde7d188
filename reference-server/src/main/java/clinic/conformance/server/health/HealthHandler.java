package clinic.conformance.server.health;

import clinic.conformance.server.db.Database;
import clinic.conformance.server.db.RoleGrants;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.util.LinkedHashMap;

/** {@code GET /health}: 200 when the database answers and the server can take its roles, else 503 saying why. */
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
            var misconfigured = RoleGrants.missing(database);
            if (misconfigured.isPresent()) {
                body.put("status", "misconfigured");
                body.put("database", misconfigured.get());
                ctx.status(503).json(body);
                return;
            }
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
