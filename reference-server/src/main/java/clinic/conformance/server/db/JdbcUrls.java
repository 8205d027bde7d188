package clinic.conformance.server.db;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Accepts both JDBC URLs and the {@code postgresql://user:pass@host:port/db} URLs Supabase hands out. */
public final class JdbcUrls {
    private JdbcUrls() {
    }

    public static String toJdbc(String url) {
        if (url.startsWith("jdbc:")) {
            return url;
        }
        if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
            throw new IllegalArgumentException("database URL must start with jdbc:postgresql://, postgresql:// or postgres://");
        }
        URI uri = URI.create(url);
        var jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath());
        String query = uri.getRawQuery();
        String userInfo = uri.getRawUserInfo();
        var params = new StringBuilder(query == null ? "" : query);
        if (userInfo != null) {
            String[] parts = userInfo.split(":", 2);
            append(params, "user", decode(parts[0]));
            if (parts.length == 2) {
                append(params, "password", decode(parts[1]));
            }
        }
        if (params.length() > 0) {
            jdbc.append('?').append(params);
        }
        return jdbc.toString();
    }

    private static void append(StringBuilder params, String key, String value) {
        if (params.length() > 0) {
            params.append('&');
        }
        params.append(key).append('=').append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
