package clinic.conformance.server.calendar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Access tokens from Google's OAuth 2.0 token endpoint with the clinic's long-lived refresh token
 * ({@code grant_type=refresh_token}), kept until a minute before they expire or until Google refuses one with 401.
 * When the endpoint cannot be reached, the attempt goes out without a token, Google answers 401, and the outbox
 * retries with backoff: a booking never waits on, or is lost to, the token endpoint.
 */
public final class OAuthRefreshToken implements GoogleToken {
    private static final Duration EARLY = Duration.ofSeconds(60);
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final URI tokenUrl;
    private final Map<String, String> grant;
    private final Duration timeout;
    private final Clock clock;
    private String token;
    private Instant expiresAt = Instant.MIN;

    public OAuthRefreshToken(URI tokenUrl, String clientId, String clientSecret, String refreshToken, Duration timeout,
                             ObjectMapper mapper, Clock clock) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.mapper = mapper;
        this.tokenUrl = tokenUrl;
        this.grant = Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", clientId,
                "client_secret", clientSecret);
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public synchronized String current() {
        if (token == null || !clock.instant().isBefore(expiresAt.minus(EARLY))) {
            refresh();
        }
        return token == null ? "" : token;
    }

    @Override
    public synchronized void refused(String refusedToken) {
        if (refusedToken != null && refusedToken.equals(token)) {
            token = null;
        }
    }

    private void refresh() {
        String form = grant.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        var request = HttpRequest.newBuilder(tokenUrl).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = mapper.readTree(response.body());
            if (response.statusCode() == 200 && body.path("access_token").isTextual()) {
                token = body.get("access_token").asText();
                expiresAt = clock.instant().plusSeconds(body.path("expires_in").asLong(3600));
                return;
            }
            token = null;
        } catch (IOException | RuntimeException e) {
            token = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            token = null;
        }
    }
}
