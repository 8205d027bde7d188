package clinic.conformance.server.identity;

import clinic.conformance.server.auth.Claims;
import clinic.conformance.server.db.Database;
import java.sql.SQLException;

/** Membership facts read as the member (RLS applies). */
public final class Members {
    private Members() {
    }

    public static boolean isAdmin(Database database, Claims claims) throws SQLException {
        return database.asUser(claims, connection -> {
            try (var statement = connection.prepareStatement(
                    "select 1 from public.profiles where id = ? and org_id = ? and role = 'admin'")) {
                statement.setObject(1, claims.userId());
                statement.setObject(2, claims.orgId());
                try (var rows = statement.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }
}
