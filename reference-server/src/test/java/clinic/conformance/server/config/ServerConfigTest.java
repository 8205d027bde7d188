package clinic.conformance.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    private static final String SECRET = "a-jwt-secret-that-is-long-enough-for-hs256";

    @Test
    void theDescriptionNeverCarriesTheDatabasePasswordOrTheSecret() {
        for (String url : new String[] {"jdbc:postgresql://db:5432/app?user=app&password=Pa55-word&sslmode=require",
                "postgresql://app:Pa55-word@db:5432/app"}) {
            var config = ServerConfig.fromMap(Map.of(ServerConfig.DATABASE_URL, url, ServerConfig.JWT_SECRET, SECRET));

            assertThat(config.toString()).doesNotContain("Pa55-word").doesNotContain(SECRET).contains("***");
        }
    }
}
