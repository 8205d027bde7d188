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
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Google Calendar v3 {@code events.insert} with a client-supplied event id and a bearer token. */
public final class GoogleCalendarClient implements CalendarGateway {
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final URI baseUrl;
    private final String bearerToken;
    private final Duration timeout;

    public GoogleCalendarClient(URI baseUrl, String bearerToken, Duration timeout, ObjectMapper mapper) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.mapper = mapper;
        this.baseUrl = baseUrl;
        this.bearerToken = bearerToken;
        this.timeout = timeout;
    }

    @Override
    public CalendarResult insert(CalendarEvent event) {
        try {
            HttpResponse<String> response = http.send(request(event), HttpResponse.BodyHandlers.ofString());
            return interpret(event, response);
        } catch (IOException e) {
            return new CalendarResult.Retryable("Google Calendar unreachable: " + e.getClass().getSimpleName(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CalendarResult.Retryable("interrupted", null);
        }
    }

    private HttpRequest request(CalendarEvent event) throws IOException {
        String path = "/calendar/v3/calendars/" + URLEncoder.encode(event.calendarId(), StandardCharsets.UTF_8)
                + "/events?sendUpdates=none";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", event.eventId());
        body.put("summary", event.summary());
        body.put("description", event.description());
        body.put("start", Map.of("dateTime", event.start().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
        body.put("end", Map.of("dateTime", event.end().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
        var builder = HttpRequest.newBuilder(baseUrl.resolve(stripTrailingSlash(baseUrl.getPath()) + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)));
        if (bearerToken != null && !bearerToken.isBlank()) {
            builder.header("Authorization", "Bearer " + bearerToken);
        }
        return builder.build();
    }

    private CalendarResult interpret(CalendarEvent event, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return inserted(event, response.body());
        }
        String reason = errorReason(response.body());
        if (status == 409) {
            return new CalendarResult.AlreadyExists(event.eventId());
        }
        Duration retryAfter = retryAfter(response).orElse(null);
        if (status == 429 || status == 408 || status == 401 || status >= 500) {
            return new CalendarResult.Retryable("Google Calendar answered " + status + describe(reason), retryAfter);
        }
        if (status == 403 && ("rateLimitExceeded".equals(reason) || "userRateLimitExceeded".equals(reason))) {
            return new CalendarResult.Retryable("Google Calendar rate limit (" + reason + ")", retryAfter);
        }
        return new CalendarResult.Rejected("Google Calendar refused the event with " + status + describe(reason));
    }

    private CalendarResult inserted(CalendarEvent event, String body) {
        try {
            JsonNode json = mapper.readTree(body);
            String id = json.path("id").asText(event.eventId());
            String link = json.path("htmlLink").isTextual() ? json.path("htmlLink").asText() : null;
            return new CalendarResult.Inserted(id, link);
        } catch (IOException e) {
            // Google said 2xx: the event exists even if the body is unreadable
            return new CalendarResult.Inserted(event.eventId(), null);
        }
    }

    private String errorReason(String body) {
        try {
            JsonNode error = mapper.readTree(body).path("error");
            JsonNode first = error.path("errors").path(0).path("reason");
            return first.isTextual() ? first.asText() : error.path("status").asText(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Optional<Duration> retryAfter(HttpResponse<String> response) {
        return response.headers().firstValue("Retry-After").flatMap(GoogleCalendarClient::parseRetryAfter);
    }

    static Optional<Duration> parseRetryAfter(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(ZoneOffset.UTC), when);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (RuntimeException notADate) {
                return Optional.empty();
            }
        }
    }

    private static String describe(String reason) {
        return reason == null ? "" : " (" + reason + ")";
    }

    private static String stripTrailingSlash(String path) {
        return path == null ? "" : path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
