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
 * Vapi credentials (contract §1 v2): a clinic's OAuth2 client. The secret is random (256 bits), shown once and stored as
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
    /** Signatures seen, for twice the window: a captured request sent again is a replay. */
    private final Map<String, Instant> replayed = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicReference<Instant> lastPrune =
            new java.util.concurrent.atomic.AtomicReference<>(Instant.EPOCH);

    /** One credential as listed: never its secret. {@code kind}: oauth2, bearer (also the legacy secret header), hmac. */
    public record Credential(UUID id, UUID orgId, String clientId, String name, OffsetDateTime createdAt,
                             OffsetDateTime revokedAt, String kind) {
    }

    /** The kinds of credential Vapi's server URL can be configured with (contract §1 v3). */
    public static final java.util.Set<String> KINDS = java.util.Set.of("oauth2", "bearer", "hmac");

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
        return create(orgId, createdBy, name, "oauth2");
    }

    /**
     * A new credential of {@code kind}: its secret is the OAuth2 client secret, the bearer token, or the HMAC key —
     * shown once; stored as its SHA-256, and for an HMAC key also as it is (a signature cannot be checked otherwise).
     */
    public Issued create(UUID orgId, UUID createdBy, String name, String kind) throws SQLException {
        String clientId = "vapi_" + HexFormat.of().formatHex(bytes(12));
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
        Credential credential = database.asService(connection -> {
            try (var statement = connection.prepareStatement("""
                    insert into private.vapi_credentials (org_id, client_id, secret_sha256, name, created_by, kind, hmac_key)
                    values (?, ?, ?, ?, ?, ?, ?) returning *""")) {
                statement.setObject(1, orgId);
                statement.setString(2, clientId);
                statement.setString(3, sha256(secret));
                statement.setString(4, name);
                statement.setObject(5, createdBy);
                statement.setString(6, kind);
                statement.setString(7, kind.equals("hmac") ? secret : null);
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
                    "select * from private.vapi_credentials where client_id = ? and kind = 'oauth2' and revoked_at is null")) {
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

    /** The live bearer credential whose token this is (the token is compared by its hash, in the index). */
    public Optional<Credential> byToken(String token) throws SQLException {
        return database.asService(connection -> {
            try (var statement = connection.prepareStatement("select * from private.vapi_credentials "
                    + "where secret_sha256 = ? and kind = 'bearer' and revoked_at is null")) {
                statement.setString(1, sha256(token));
                try (var rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(credential(rows)) : Optional.empty();
                }
            }
        });
    }

    /** A live HMAC credential and its key. */
    public record SigningCredential(Credential credential, byte[] key) {
    }

    public Optional<SigningCredential> signingKey(String clientId) throws SQLException {
        return database.asService(connection -> {
            try (var statement = connection.prepareStatement("select * from private.vapi_credentials "
                    + "where client_id = ? and kind = 'hmac' and revoked_at is null")) {
                statement.setString(1, clientId);
                try (var rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(new SigningCredential(credential(rows),
                            rows.getString("hmac_key").getBytes(StandardCharsets.UTF_8))) : Optional.empty();
                }
            }
        });
    }

    /**
     * How Vapi signs a server-URL request with an HMAC credential (contract §1 v3; Vapi's HMAC authentication plan):
     * the headers, the algorithm (sha256, sha512, sha1), the encoding (hex, base64), an optional prefix of the
     * signature, the signed payload ({@code {timestamp}.{body}} by default) and how far a timestamp may stray.
     */
    public record SignaturePlan(String signatureHeader, String timestampHeader, String algorithm, String encoding,
                                String prefix, String payloadFormat, Duration window) {
        String mac() {
            return switch (algorithm) {
                case "sha512" -> "HmacSHA512";
                case "sha1" -> "HmacSHA1";
                default -> "HmacSHA256";
            };
        }
    }

    /** The bytes a signature covers: the payload format with the timestamp and the body exactly as received. */
    protected byte[] signedPayload(SignaturePlan plan, String timestamp, byte[] body) {
        String format = plan.payloadFormat().replace("{timestamp}", timestamp);
        int at = format.indexOf("{body}");
        if (at < 0) {
            return format.getBytes(StandardCharsets.UTF_8);
        }
        byte[] before = format.substring(0, at).getBytes(StandardCharsets.UTF_8);
        byte[] after = format.substring(at + "{body}".length()).getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[before.length + body.length + after.length];
        System.arraycopy(before, 0, payload, 0, before.length);
        System.arraycopy(body, 0, payload, before.length, body.length);
        System.arraycopy(after, 0, payload, before.length + body.length, after.length);
        return payload;
    }

    /** The presented signature, its prefix removed and decoded as the plan says, against the expected bytes, in constant time. */
    protected boolean signatureMatches(SignaturePlan plan, byte[] expected, String presented) {
        if (presented == null || !presented.startsWith(plan.prefix())) {
            return false;
        }
        String encoded = presented.substring(plan.prefix().length()).trim();
        byte[] decoded;
        try {
            decoded = plan.encoding().equals("base64") ? Base64.getDecoder().decode(encoded) : HexFormat.of().parseHex(encoded);
        } catch (IllegalArgumentException notEncoded) {
            return false;
        }
        return MessageDigest.isEqual(expected, decoded);
    }

    /** Whether a signed timestamp (Unix seconds) lies within the plan's window of now, either way. */
    protected boolean fresh(SignaturePlan plan, long timestamp) {
        return Math.abs(clock.instant().getEpochSecond() - timestamp) <= plan.window().toSeconds();
    }

    /** Whether a request naming an HMAC credential must carry a signature at all. */
    protected boolean signatureRequired() {
        return true;
    }

    /** The HMAC of {@code payload} with {@code key}, by the plan's algorithm. */
    public static byte[] hmac(SignaturePlan plan, byte[] key, byte[] payload) {
        try {
            var mac = javax.crypto.Mac.getInstance(plan.mac());
            mac.init(new javax.crypto.spec.SecretKeySpec(key, plan.mac()));
            return mac.doFinal(payload);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Verifies a signed request over its raw bytes, before anything is parsed; the credential it names, or the reason
     * it is refused (the credential, where one is named, for the audit row).
     */
    public Verification verify(SignaturePlan plan, String clientId, String timestamp, String signature, byte[] body)
            throws SQLException {
        if (clientId == null) {
            return Verification.refused("a signed request names no HMAC credential (client_id)", null);
        }
        var signing = signingKey(clientId);
        if (signing.isEmpty()) {
            return Verification.refused("no live HMAC credential " + clientId, null);
        }
        Credential credential = signing.get().credential();
        if (signature == null && !signatureRequired()) {
            return new Verification(Optional.of(credential), null, credential);
        }
        if (signature == null || timestamp == null) {
            return Verification.refused("the signature or its timestamp is missing", credential);
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Verification.refused("the timestamp is not Unix seconds", credential);
        }
        if (!fresh(plan, seconds)) {
            return Verification.refused("the timestamp is outside the window of " + plan.window().toSeconds() + " s",
                    credential);
        }
        byte[] expected = hmac(plan, signing.get().key(), signedPayload(plan, timestamp.trim(), body));
        if (!signatureMatches(plan, expected, signature)) {
            return Verification.refused("the signature does not match the body and timestamp", credential);
        }
        Instant now = clock.instant();
        if (replayed.putIfAbsent(clientId + " " + signature, now) != null) {
            return Verification.refused("this signed request was seen before (a replay)", credential);
        }
        forgetOldSignatures(plan, now);
        return new Verification(Optional.of(credential), null, credential);
    }

    /**
     * Drops signatures older than twice the window — at most once a second, not on every request: the scan is over every
     * signature seen, and a signed request is the hot path.
     */
    private void forgetOldSignatures(SignaturePlan plan, Instant now) {
        Instant last = lastPrune.get();
        if (now.isBefore(last.plusSeconds(1)) || !lastPrune.compareAndSet(last, now)) {
            return;
        }
        replayed.values().removeIf(seen -> seen.plus(plan.window().multipliedBy(2)).isBefore(now));
    }

    /** The outcome of a signature check: the credential, or why not (with the credential named, if any). */
    public record Verification(Optional<Credential> accepted, String refusal, Credential named) {
        static Verification refused(String why, Credential named) {
            return new Verification(Optional.empty(), why, named);
        }
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
                rows.getObject("revoked_at", OffsetDateTime.class), rows.getString("kind"));
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
