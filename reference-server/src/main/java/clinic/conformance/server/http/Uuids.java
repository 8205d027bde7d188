package clinic.conformance.server.http;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Strict uuid parsing: the canonical 8-4-4-4-12 form only (UUID.fromString accepts "1-1-1-1-1"). */
public final class Uuids {
    private static final Pattern CANONICAL =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private Uuids() {
    }

    public static Optional<UUID> parse(String value) {
        if (value == null || !CANONICAL.matcher(value).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(value));
    }
}
