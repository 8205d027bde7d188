package clinic.conformance.server.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The server's variables as {@link ServerConfig} reads them: blank is unset, numbers and on/off checked, with the key named. */
record EnvironmentValues(Map<String, String> env) {
    String text(String key, String fallback) {
        return Optional.ofNullable(env.get(key)).filter(v -> !v.isBlank()).orElse(fallback);
    }

    int integer(String key, int fallback) {
        String raw = text(key, null);
        if (raw == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + raw + "'");
        }
    }

    boolean flag(String key, boolean fallback) {
        String raw = text(key, null);
        if (raw == null) {
            return fallback;
        }
        return switch (raw.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "1", "yes" -> true;
            case "off", "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException(key + " is on or off, got '" + raw + "'");
        };
    }

    Duration millis(String key, int fallback) {
        return Duration.ofMillis(integer(key, fallback));
    }
}
