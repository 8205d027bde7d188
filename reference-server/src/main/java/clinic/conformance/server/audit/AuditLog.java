package clinic.conformance.server.audit;

import clinic.conformance.server.auth.Claims;
import clinic.conformance.server.db.Database;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes audit rows through {@code public.record_audit}, as the caller, so actor and org come from the token. */
public class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private final Database database;
    private final ObjectMapper mapper;

    public AuditLog(Database database, ObjectMapper mapper) {
        this.database = database;
        this.mapper = mapper;
    }

    /**
     * Records, in the victim org's own audit chain, that {@code actor} reached for one of its rows. The actor's view of
     * the audit log never shows it, so the log cannot be used to learn which ids exist in other orgs.
     */
    public void recordForVictim(UUID victimOrg, Claims actor, String action, String status, Map<String, Object> details) {
        try {
            String json = mapper.writeValueAsString(details);
            database.asService(connection -> {
                try (var statement = connection.prepareStatement(
                        "select public.record_cross_org_attempt(?, ?, ?, ?, ?, ?::jsonb)")) {
                    statement.setObject(1, victimOrg);
                    statement.setObject(2, actor.userId());
                    statement.setObject(3, actor.orgId());
                    statement.setString(4, action);
                    statement.setString(5, status);
                    statement.setString(6, json);
                    statement.execute();
                }
                return null;
            });
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            LOG.error("audit row not written for action {}: {}", action, e.getClass().getSimpleName());
        }
    }

    public void record(Claims actor, String action, UUID targetOrgId, String status, Map<String, Object> details) {
        try {
            String json = mapper.writeValueAsString(details);
            database.asServiceFor(actor, connection -> {
                try (var statement = connection.prepareStatement("select public.record_audit(?, ?, ?, ?::jsonb)")) {
                    statement.setString(1, action);
                    statement.setObject(2, targetOrgId);
                    statement.setString(3, status);
                    statement.setString(4, json);
                    statement.execute();
                }
                return null;
            });
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            // the refusal stands either way; a lost audit row is logged, never shown to the client
            LOG.error("audit row not written for action {}: {}", action, e.getClass().getSimpleName());
        }
    }
}
