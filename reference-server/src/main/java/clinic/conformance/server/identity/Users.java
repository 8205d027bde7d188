package clinic.conformance.server.identity;

import clinic.conformance.server.http.AuthError;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** SQL on {@code auth.users}; run as the service, as GoTrue does. The signup trigger fires on insert. */
public class Users {
    private static final String COLUMNS = "id, email, encrypted_password, raw_app_meta_data, raw_user_meta_data, "
            + "email_confirmed_at, created_at, updated_at";
    private final ObjectMapper mapper;

    public Users(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Inserts the user; a taken e-mail is 422 {@code user_already_exists}, as Supabase Auth answers. */
    public AuthUser create(Connection connection, String email, String passwordHash, JsonNode appMetadata,
                           JsonNode userMetadata, boolean confirmed) throws SQLException {
        // as GoTrue does: it supplies the id (auth.users.id has no default), and the e-mail's uniqueness is a partial
        // index, so a taken e-mail is the unique violation itself, not an "on conflict" target
        try (var statement = connection.prepareStatement("insert into auth.users (id, aud, role, email, "
                + "encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at) "
                + "values (?, 'authenticated', 'authenticated', ?, ?, case when ? then now() end, ?::jsonb, ?::jsonb, now(), now()) "
                + "returning "
                + COLUMNS)) {
            statement.setObject(1, java.util.UUID.randomUUID());
            statement.setString(2, email);
            statement.setString(3, passwordHash);
            statement.setBoolean(4, confirmed);
            statement.setString(5, json(appMetadata));
            statement.setString(6, json(userMetadata));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return read(rows);
            }
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new AuthError(422, "user_already_exists", "User already registered");
            }
            throw e;
        }
    }

    /** Merges {@code data} into the user's own metadata and sets a new password hash, where given. */
    public void update(Connection connection, UUID id, ObjectNode data, String passwordHash) throws SQLException {
        try (var statement = connection.prepareStatement("update auth.users set raw_user_meta_data = "
                + "coalesce(raw_user_meta_data, '{}'::jsonb) || ?::jsonb, encrypted_password = coalesce(?, encrypted_password), "
                + "updated_at = now() where id = ?")) {
            statement.setString(1, json(data));
            statement.setString(2, passwordHash);
            statement.setObject(3, id);
            statement.executeUpdate();
        }
    }

    /** Writes an admin's {@code app_metadata} over the platform's, as GoTrue's admin API does after the INSERT. */
    public void mergeAppMetadata(Connection connection, UUID id, ObjectNode appMetadata) throws SQLException {
        try (var statement = connection.prepareStatement("update auth.users set raw_app_meta_data = "
                + "coalesce(raw_app_meta_data, '{}'::jsonb) || ?::jsonb, updated_at = now() where id = ?")) {
            statement.setString(1, json(appMetadata));
            statement.setObject(2, id);
            statement.executeUpdate();
        }
    }

    /** Marks the user's e-mail confirmed (the admin API's {@code email_confirm}); a confirmed one keeps its time. */
    public void confirmEmail(Connection connection, UUID id) throws SQLException {
        try (var statement = connection.prepareStatement("update auth.users set email_confirmed_at = "
                + "coalesce(email_confirmed_at, now()), updated_at = now() where id = ?")) {
            statement.setObject(1, id);
            statement.executeUpdate();
        }
    }

    public Optional<AuthUser> findByEmail(Connection connection, String email) throws SQLException {
        try (var statement = connection.prepareStatement("select " + COLUMNS + " from auth.users where email = ?")) {
            statement.setString(1, email);
            return first(statement);
        }
    }

    public Optional<AuthUser> findById(Connection connection, UUID id) throws SQLException {
        try (var statement = connection.prepareStatement("select " + COLUMNS + " from auth.users where id = ?")) {
            statement.setObject(1, id);
            return first(statement);
        }
    }

    private Optional<AuthUser> first(java.sql.PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(read(rows)) : Optional.empty();
        }
    }

    private AuthUser read(ResultSet rows) throws SQLException {
        return new AuthUser(rows.getObject("id", UUID.class), rows.getString("email"),
                rows.getString("encrypted_password"), tree(rows.getString("raw_app_meta_data")),
                tree(rows.getString("raw_user_meta_data")), rows.getObject("email_confirmed_at", OffsetDateTime.class),
                rows.getObject("created_at", OffsetDateTime.class),
                rows.getObject("updated_at", OffsetDateTime.class));
    }

    private String json(JsonNode node) {
        try {
            return mapper.writeValueAsString(node == null ? mapper.createObjectNode() : node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private JsonNode tree(String json) {
        try {
            return json == null ? mapper.createObjectNode() : mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return mapper.createObjectNode();
        }
    }
}
