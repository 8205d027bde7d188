package clinic.conformance.embedded.runner;

import clinic.conformance.fixtures.target.Target;
import clinic.conformance.fixtures.target.TargetAuth;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A wrong target made of the real one behind a front that rewrites Vapi's tool-calls exchanges: for mutants whose
 * defect lies in how a server answers Vapi, where no part of the reference server can be swapped to produce it.
 * Every other request passes through unchanged.
 */
final class MutantFront implements AutoCloseable {
    /** Reads duplicate member names as Jackson does by default (the last wins); trailing text is an unreadable body. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Not forwarded: hop-by-hop headers, and accept-encoding (the front passes bodies on as they are, uncompressed). */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "transfer-encoding",
            "upgrade", "expect", "accept-encoding");
    private final HttpServer server;

    /** How the front changes a tools message on its way in and the answer on its way out (knowing its message). */
    record Rewrite(UnaryOperator<JsonNode> message, UnaryOperator<JsonNode> answer, Set<String> ignoredPaths,
                   java.util.function.BinaryOperator<JsonNode> exchange, java.util.function.Consumer<JsonNode> arriving,
                   java.util.function.Consumer<java.util.Map<String, String>> headers) {
        Rewrite(UnaryOperator<JsonNode> message, UnaryOperator<JsonNode> answer, Set<String> ignoredPaths,
                java.util.function.BinaryOperator<JsonNode> exchange, java.util.function.Consumer<JsonNode> arriving) {
            this(message, answer, ignoredPaths, exchange, arriving, headers -> { });
        }

        Rewrite(UnaryOperator<JsonNode> message, UnaryOperator<JsonNode> answer, Set<String> ignoredPaths) {
            this(message, answer, ignoredPaths, (sent, answered) -> answered, sent -> { });
        }

        /**
         * A gateway that forwards a Bearer {@code sb_} key: an {@code Authorization: Bearer sb_…} becomes the request's
         * {@code apikey}, whatever key the caller put there — so a leaked secret key in a Bearer acts as the service
         * role even beside the publishable key, and the key needs no {@code apikey} at all.
         */
        static Rewrite bearerKeyForwarded() {
            return new Rewrite(message -> message, answer -> answer, Set.of(), (sent, answered) -> answered, sent -> { },
                    headers -> {
                        String bearer = headers.getOrDefault("authorization", "");
                        if (bearer.regionMatches(true, 0, "Bearer sb_", 0, 10)) {
                            headers.put("apikey", bearer.substring(7).strip());
                            headers.remove("authorization");
                        }
                    });
        }

        Rewrite(UnaryOperator<JsonNode> message, UnaryOperator<JsonNode> answer) {
            this(message, answer, Set.of());
        }

        /**
         * A write-behind booking: a conflict refused while another booking of the same provider at another start was
         * in flight is acknowledged as booked — the caller hears a confirmation of a booking that is not there.
         * Identical slots and sequential bookings are answered truly, so S2 sees nothing.
         */
        static Rewrite acknowledgedBeforeItsCommit() {
            var inFlight = new java.util.concurrent.ConcurrentHashMap<JsonNode, String>();
            var contended = java.util.concurrent.ConcurrentHashMap.<JsonNode>newKeySet();
            return new Rewrite(message -> message, answer -> answer, Set.of(), (sent, answered) -> {
                JsonNode args = sent.path("message").path("toolCallList").path(0).path("function").path("arguments");
                inFlight.remove(sent);
                boolean wasContended = contended.remove(sent);
                JsonNode result = answered.path("results").path(0);
                if (wasContended && "slot_conflict".equals(result.path("error_code").asText(null))) {
                    var fake = java.util.UUID.randomUUID().toString();
                    ObjectNode booked = MAPPER.createObjectNode().put("toolCallId", result.path("toolCallId").asText())
                            .put("name", result.path("name").asText()).put("result", "Booked " + args.path("patient_name").asText()
                                    + ". Confirmation " + fake.substring(0, 8) + ".");
                    ObjectNode rewritten = MAPPER.createObjectNode().put("success", true);
                    rewritten.putObject("appointment").put("id", fake);
                    rewritten.putArray("results").add(booked);
                    return rewritten;
                }
                return answered;
            }, sent -> {
                JsonNode args = sent.path("message").path("toolCallList").path(0).path("function").path("arguments");
                String provider = args.path("provider_id").asText();
                String start = args.path("scheduled_at").asText();
                inFlight.forEach((other, slot) -> {
                    if (slot.startsWith(provider + "|") && !slot.equals(provider + "|" + start)) {
                        contended.add(sent);
                        contended.add(other);
                    }
                });
                inFlight.put(sent, provider + "|" + start);
            });
        }

        /** Answers a sign-out with 204 and forwards nothing: the session's refresh tokens live on. */
        static Rewrite signOutIgnored() {
            return new Rewrite(message -> message, answer -> answer, Set.of("/auth/v1/logout"));
        }

        /** Forwards only the first tool call of a message: the others are never answered. */
        static Rewrite firstCallOnly() {
            return new Rewrite(message -> {
                ArrayNode calls = (ArrayNode) message.path("message").path("toolCallList");
                while (calls.size() > 1) {
                    calls.remove(calls.size() - 1);
                }
                ((ObjectNode) message.path("message")).remove("toolWithToolCallList");
                return message;
            }, answer -> answer);
        }

        /** Puts a line break after every sentence of each result. */
        static Rewrite lineBreaksInResults() {
            return new Rewrite(message -> message, answer -> {
                for (JsonNode result : answer.path("results")) {
                    if (result.hasNonNull("result")) {
                        ((ObjectNode) result).put("result", result.get("result").asText().replace(". ", ".\n"));
                    }
                }
                return answer;
            });
        }

        /** Converts every {@code scheduled_at} to UTC before the server sees it, as a server that speaks UTC would. */
        static Rewrite scheduledAtInUtc() {
            return new Rewrite(message -> {
                for (JsonNode call : message.path("message").path("toolCallList")) {
                    JsonNode arguments = call.path("function").path("arguments");
                    if (arguments.hasNonNull("scheduled_at")) {
                        ((ObjectNode) arguments).put("scheduled_at", java.time.OffsetDateTime.parse(
                                arguments.get("scheduled_at").asText()).withOffsetSameInstant(java.time.ZoneOffset.UTC).toString());
                    }
                }
                return message;
            }, answer -> answer);
        }
    }

    private MutantFront(HttpServer server) {
        this.server = server;
    }

    /** Starts a front for {@code target}; certify {@link #target(Target)} instead of it. */
    static MutantFront start(URI target, Rewrite rewrite) {
        HttpClient client = HttpClient.newHttpClient();
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                try (exchange) {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    if (rewrite.ignoredPaths().contains(exchange.getRequestURI().getPath())) {
                        exchange.sendResponseHeaders(204, -1);
                        return;
                    }
                    boolean tools = exchange.getRequestURI().getPath().equals("/api/vapi/tools");
                    JsonNode sent = null;
                    if (tools) {
                        body = rewritten(body, rewrite.message());
                        sent = readable(body);
                        if (sent != null) {
                            rewrite.arriving().accept(sent);
                        }
                    }
                    var request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                            .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body));
                    var headers = new java.util.TreeMap<String, String>();
                    exchange.getRequestHeaders().forEach((name, values) -> {
                        if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT)) && !values.isEmpty()) {
                            headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0));
                        }
                    });
                    rewrite.headers().accept(headers);
                    headers.forEach(request::header);
                    HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                    byte[] answer = tools ? rewritten(response.body(), rewrite.answer()) : response.body();
                    if (sent != null) {
                        JsonNode known = sent;
                        answer = rewritten(answer, answered -> rewrite.exchange().apply(known, answered));
                    }
                    response.headers().firstValue("Content-Type")
                            .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
                    exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
                    exchange.getResponseBody().write(answer);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
            server.start();
            return new MutantFront(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readable(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] rewritten(byte[] json, UnaryOperator<JsonNode> change) {
        try {
            return MAPPER.writeValueAsBytes(change.apply(MAPPER.readTree(json)));
        } catch (IOException | RuntimeException e) {
            return json;
        }
    }

    Target target(Target behind) {
        URI front = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        var auth = behind.auth();
        return new Target(front, behind.database(), auth.at(TargetAuth.defaultAuthUrl(front)), behind.mockUrl(), behind.description() + " behind a mutant front",
                behind.profile());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
