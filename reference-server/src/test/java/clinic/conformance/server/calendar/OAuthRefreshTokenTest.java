package clinic.conformance.server.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Google access tokens from the refresh token, renewed after a 401")
class OAuthRefreshTokenTest {
    private HttpServer tokenEndpoint;
    private final List<String> forms = new CopyOnWriteArrayList<>();
    private final AtomicInteger issued = new AtomicInteger();
    private OAuthRefreshToken token;

    @BeforeEach
    void startTheTokenEndpoint() throws Exception {
        tokenEndpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tokenEndpoint.createContext("/token", exchange -> {
            forms.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = ("{\"access_token\": \"ya29.token-" + issued.incrementAndGet() + "\", \"expires_in\": 3599, "
                    + "\"token_type\": \"Bearer\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        tokenEndpoint.start();
        token = new OAuthRefreshToken(URI.create("http://127.0.0.1:" + tokenEndpoint.getAddress().getPort() + "/token"),
                "client.apps.googleusercontent.com", "client secret", "1//refresh", Duration.ofSeconds(5),
                new ObjectMapper(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        tokenEndpoint.stop(0);
    }

    @Test
    void theRefreshGrantIsSentOnceAndItsTokenKeptUntilGoogleRefusesIt() {
        String first = token.current();
        String again = token.current();
        token.refused("some older token");
        String stillFirst = token.current();
        token.refused(first);
        String fresh = token.current();

        assertThat(first).isEqualTo("ya29.token-1");
        assertThat(again).isEqualTo(first);
        assertThat(stillFirst).as("a 401 to a token no longer current changes nothing").isEqualTo(first);
        assertThat(fresh).as("after a 401 to the current token").isEqualTo("ya29.token-2");
        assertThat(forms).hasSize(2).first().asString().contains("grant_type=refresh_token")
                .contains("refresh_token=1%2F%2Frefresh").contains("client_id=client.apps.googleusercontent.com")
                .contains("client_secret=client+secret");
    }

    @Test
    void anUnreachableEndpointGivesNoTokenAndIsAskedAgainNextTime() {
        tokenEndpoint.stop(0);

        assertThat(token.current()).isEmpty();
        assertThat(token.current()).isEmpty();
    }
}
