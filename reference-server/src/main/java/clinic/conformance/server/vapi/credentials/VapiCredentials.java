package clinic.conformance.server.vapi.credentials;

import clinic.conformance.server.db.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Vapi credentials (SPEC §1 v2): a clinic's OAuth2 client. The secret is random (256 bits), shown once and stored as
 * its SHA-256 — a fast hash is right for a random secret, unlike a password. Revocation is read through a cache that
 * forgets an answer after {@link #REVOCATION_CACHE}, so a credential revoked in another process stops working within
 * it; in this process, at once.
 */
public class VapiCredentials {
    /** How long a "not revoked" answer is trusted: well within the contract's minute. */
    public static final Duration REVOCATION_CACHE = Duration.ofSeconds(20);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Database database;
    private final Clock clock;
    private final Map<UUID, Checked> revocations = new ConcurrentHashMap<>();

    /** One credential as listed: never its secret. */
    public record Credential(UUID id, UUID orgId, String clientId, String name, OffsetDateTime createdAt,
                             OffsetDateTime revokedAt) {
    }

    /** A new credential with its secret, which exists only in this answer. */
    public record Issued(Credential credential, String clientSecret) {
    }

    private record Checked(boolean revoked, Instant at) {
    }

    public VapiCredentials(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public Issued create(UUID orgId, UUID createdBy, String name) throws SQLException {
        String clientId = "vapi_" + HexFormat.of().formatHex(bytes(12));
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
        Credential credential = database.asService(connection -> {
            try (var statement = connection.prepareStatement("""
                    insert into private.vapi_credentials (org_id, client_id, secret_sha256, name, created_by)
                    values (?, ?, ?, ?, ?) returning *""")) {
                statement.setObject(1, orgId);
                statement.setString(2, clientId);
                statement.setString(3, sha256(secret));
                statement.setString(4, name);
                statement.setObject(5, createdBy);
                try (var rows = statement.executeQuery()) {
                    rows.next();
                    return credential(rows);
                }
            }
        });
        return new Issued(credential, secret);
    }

    public List<Credential> list(UUID orgId) throws SQLException {
        return database.asService(connection -> {
            try (var statement = connection.prepareStatement(
                    "select * from private.vapi_credentials where org_id = ? order by created_at")) {
                statement.setObject(1, orgId);
                try (var rows = statement.executeQuery()) {
                    var found = new ArrayList<Credential>();
                    while (rows.next()) {
                        found.add(credential(rows));
                    }
                    return found;
                }
            }
        });
    }

    /** Revokes one of the org's credentials; false when the org has no such credential. */
    public boolean revoke(UUID orgId, UUID id) throws SQLException {
        boolean revoked = database.asService(connection -> {
            try (var statement = connection.prepareStatement("""
                    update private.vapi_credentials set revoked_at = coalesce(revoked_at, now())
                    where id = ? and org_id = ?""")) {
                statement.setObject(1, id);
                statement.setObject(2, orgId);
                return statement.executeUpdate() == 1;
            }
        });
        if (revoked) {
            revocations.put(id, new Checked(true, clock.instant()));
        }
        return revoked;
    }

    /** The live credential these client credentials name, if the secret is right. */
    public Optional<Credential> authenticate(String clientId, String secret) throws SQLException {
        return database.asService(connection -> {
            try (var statement = connection.prepareStatement(
                    "select * from private.vapi_credentials where client_id = ? and revoked_at is null")) {
                statement.setString(1, clientId);
                try (var rows = statement.executeQuery()) {
                    if (!rows.next() || !secretMatches(secret, rows.getString("secret_sha256"))) {
                        return Optional.empty();
                    }
                    return Optional.of(credential(rows));
                }
            }
        });
    }

    /** Whether a token issued for this credential must be refused now. */
    public boolean revoked(UUID credentialId) {
        Instant now = clock.instant();
        Checked known = revocations.get(credentialId);
        if (known != null && (known.revoked() || known.at().plus(REVOCATION_CACHE).isAfter(now))) {
            return known.revoked();
        }
        boolean revoked;
        try {
            revoked = database.asService(connection -> {
                try (var statement = connection.prepareStatement(
                        "select revoked_at is not null from private.vapi_credentials where id = ?")) {
                    statement.setObject(1, credentialId);
                    try (var rows = statement.executeQuery()) {
                        return !rows.next() || rows.getBoolean(1);
                    }
                }
            });
        } catch (SQLException e) {
            // cannot tell: refuse rather than honour a credential that may be revoked
            return true;
        }
        revocations.put(credentialId, new Checked(revoked, now));
        return revoked;
    }

    /** Compares in constant time, so the answer's timing says nothing about the stored hash. */
    protected boolean secretMatches(String secret, String storedSha256) {
        return MessageDigest.isEqual(sha256(secret).getBytes(StandardCharsets.US_ASCII),
                storedSha256.getBytes(StandardCharsets.US_ASCII));
    }

    private static Credential credential(ResultSet rows) throws SQLException {
        return new Credential(rows.getObject("id", UUID.class), rows.getObject("org_id", UUID.class),
                rows.getString("client_id"), rows.getString("name"), rows.getObject("created_at", OffsetDateTime.class),
                rows.getObject("revoked_at", OffsetDateTime.class));
    }

    private static byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
