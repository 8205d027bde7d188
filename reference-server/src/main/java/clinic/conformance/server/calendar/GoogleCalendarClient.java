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

/**
 * Google Calendar v3 {@code events.insert} with a client-supplied event id, and {@code events.delete} of that id on
 * cancellation, with a bearer token; each answer read as {@link GoogleAnswer} says.
 */
public class GoogleCalendarClient implements CalendarGateway {
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final URI baseUrl;
    private final GoogleToken token;
    private final Duration timeout;

    public GoogleCalendarClient(URI baseUrl, GoogleToken token, Duration timeout, ObjectMapper mapper) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.mapper = mapper;
        this.baseUrl = baseUrl;
        this.token = token;
        this.timeout = timeout;
    }

    @Override
    public CalendarResult insert(CalendarEvent event) {
        return send(event, GoogleAnswer.Operation.INSERT);
    }

    @Override
    public CalendarResult delete(CalendarEvent event) {
        return send(event, GoogleAnswer.Operation.DELETE);
    }

    /** How an answer is read; the project's mutant targets override it to misread one answer. */
    protected GoogleAnswer read(GoogleAnswer.Operation operation, int status, String reason) {
        return GoogleAnswer.read(operation, status, reason);
    }

    private CalendarResult send(CalendarEvent event, GoogleAnswer.Operation operation) {
        String bearer = token.current();
        try {
            HttpResponse<String> response = http.send(operation == GoogleAnswer.Operation.INSERT
                    ? insertRequest(event, bearer) : deleteRequest(event, bearer), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 401) {
                token.refused(bearer);
            }
            return interpret(event, operation, response);
        } catch (IOException e) {
            return new CalendarResult.Retryable("Google Calendar unreachable: " + e.getClass().getSimpleName(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CalendarResult.Retryable("interrupted", null);
        }
    }

    private HttpRequest deleteRequest(CalendarEvent event, String bearer) {
        String path = eventsPath(event) + "/" + URLEncoder.encode(event.eventId(), StandardCharsets.UTF_8)
                + "?sendUpdates=none";
        return authorized(HttpRequest.newBuilder(baseUrl.resolve(stripTrailingSlash(baseUrl.getPath()) + path))
                .timeout(timeout).DELETE(), bearer).build();
    }

    private static String eventsPath(CalendarEvent event) {
        return "/calendar/v3/calendars/" + URLEncoder.encode(event.calendarId(), StandardCharsets.UTF_8) + "/events";
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder builder, String bearer) {
        if (bearer != null && !bearer.isBlank()) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        return builder;
    }

    private HttpRequest insertRequest(CalendarEvent event, String bearer) throws IOException {
        String path = eventsPath(event) + "?sendUpdates=none";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", event.eventId());
        body.put("summary", event.summary());
        body.put("description", event.description());
        body.put("start", Map.of("dateTime", event.start().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
        body.put("end", Map.of("dateTime", event.end().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
        return authorized(HttpRequest.newBuilder(baseUrl.resolve(stripTrailingSlash(baseUrl.getPath()) + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body))), bearer).build();
    }

    private CalendarResult interpret(CalendarEvent event, GoogleAnswer.Operation operation, HttpResponse<String> response) {
        int status = response.statusCode();
        String reason = status >= 200 && status < 300 ? null : errorReason(response.body());
        String answered = "Google Calendar answered " + status + describe(reason) + " to the "
                + operation.name().toLowerCase(java.util.Locale.ROOT);
        return switch (read(operation, status, reason)) {
            case DONE -> operation == GoogleAnswer.Operation.DELETE
                    ? new CalendarResult.Removed(event.eventId(), status == 404 || status == 410)
                    : status == 409 ? new CalendarResult.AlreadyExists(event.eventId()) : inserted(event, response.body());
            case RETRY, REFRESH_AND_RETRY -> new CalendarResult.Retryable(answered, retryAfter(response).orElse(null));
            case PERMANENT -> new CalendarResult.Rejected(answered);
        };
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
