package clinic.conformance.scenarios.vapi;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.fixtures.ConformanceTest;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.fixtures.seed.Clinic;
import clinic.conformance.fixtures.seed.Member;
import clinic.conformance.fixtures.vapi.BookingCall;
import clinic.conformance.fixtures.vapi.VapiCredentialKind;
import io.qameta.allure.AllureId;
import io.qameta.allure.Feature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * V3: signature checking, for a target whose Vapi server URL is protected by an HMAC credential ({@code --vapi-auth
 * hmac}; contract §1 v3). Vapi signs {@code {timestamp}.{body}} with HMAC-SHA256 in hex, sends it in
 * {@code x-signature} with the Unix time in {@code x-timestamp}; the target names the credential by
 * {@code ?client_id=}. Every forgery is refused with 401, books nothing, and leaves an audit row.
 */
@ConformanceTest
@DisplayName("V3 Vapi signatures")
@Tag("extended")
@Tag("V3")
@Feature("V3 Vapi signatures")
class VapiSignatureTests {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Fixtures fx;
    private Clinic clinic;
    private Member provider;
    private VapiCredentialKind.Issued credential;

    VapiSignatureTests(Fixtures fixtures) {
        this.fx = fixtures;
    }

    @BeforeAll
    void seed() {
        Assumptions.assumeTrue(fx.api().credentialKind().equals("hmac"), "V3 checks a target whose Vapi server URL "
                + "is protected by an HMAC credential: certify with --vapi-auth hmac");
        clinic = fx.seed().clinic("Signatures").insert();
        provider = fx.seed().provider(clinic).insert();
        fx.tokens().of(clinic.admin());
        credential = fx.api().credentials().orElseThrow().hmacCredentialOf(clinic.id());
    }

    @AfterAll
    void cleanUp() {
        fx.seed().cleanUp(clinic);
    }

    /** What went out and what came back. */
    private record Exchange(int status, String body, String toolCallId) {
    }

    private Exchange send(BookingCall call, String body, String timestamp, String signature) {
        var headers = new LinkedHashMap<String, String>();
        if (timestamp != null) {
            headers.put("x-timestamp", timestamp);
        }
        if (signature != null) {
            headers.put("x-signature", signature);
        }
        var request = HttpRequest.newBuilder(URI.create(fx.target().url() + fx.api().toolsPath() + "?client_id="
                + credential.clientId())).timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Exchange(response.statusCode(), response.body(), call.toolCallId());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The same message with its fields in reverse order: the same JSON to a parser, other bytes to a signature. */
    private static String reversedMessage(String body) {
        try {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            var root = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(body);
            var message = root.get("message");
            var names = new java.util.ArrayList<String>();
            message.fieldNames().forEachRemaining(names::add);
            java.util.Collections.reverse(names);
            var reversed = mapper.createObjectNode();
            names.forEach(name -> reversed.set(name, message.get(name)));
            root.set("message", reversed);
            return mapper.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String now() {
        return Long.toString(Instant.now().getEpochSecond());
    }

    private String signed(String timestamp, String body) {
        return VapiCredentialKind.sign("HmacSHA256", credential.secret(), timestamp + "." + body, false);
    }

    private long rowsOf(String toolCallId) {
        return fx.database().count("select count(*) from public.appointments where vapi_tool_call_id = ?", toolCallId);
    }

    private long auditRows() {
        return fx.database().count("select count(*) from public.audit_log where org_id = ?", clinic.id());
    }

    /** Each forgery: 401, nothing booked, and one more audit row of the clinic. */
    private void assertRefused(Map<String, java.util.function.Supplier<Exchange>> forgeries) {
        for (var forgery : forgeries.entrySet()) {
            long audited = auditRows();
            Exchange answer = forgery.getValue().get();
            assertThat(answer.status()).as("%s: %s", forgery.getKey(), answer.body()).isEqualTo(401);
            assertThat(rowsOf(answer.toolCallId())).as("rows booked by %s", forgery.getKey()).isZero();
            assertThat(auditRows()).as("audit rows after %s", forgery.getKey()).isGreaterThan(audited);
        }
    }

    @Test
    @AllureId("V3.1")
    void aSignedMessageBooksOnceAndItsReplayIsRefused() {
        var call = fx.api().book(provider);
        String body = call.payload();
        String timestamp = now();
        String signature = signed(timestamp, body);

        Exchange first = send(call, body, timestamp, signature);
        long audited = auditRows();
        Exchange replayed = send(call, body, timestamp, signature);

        assertThat(first.status()).as("the signed message: %s", first.body()).isEqualTo(200);
        assertThat(first.body()).as("the signed message's answer").doesNotContain("\"error_code\"");
        assertThat(replayed.status()).as("the same signed request again: %s", replayed.body()).isEqualTo(401);
        assertThat(rowsOf(call.toolCallId())).as("rows of the signed booking").isOne();
        assertThat(auditRows()).as("audit rows after the replay").isGreaterThan(audited);
    }

    @Test
    @AllureId("V3.2")
    void missingMalformedAndForeignSignaturesAreRefused() {
        var forgeries = new LinkedHashMap<String, java.util.function.Supplier<Exchange>>();
        forgeries.put("no signature", () -> {
            var call = fx.api().book(provider);
            return send(call, call.payload(), now(), null);
        });
        forgeries.put("a malformed signature", () -> {
            var call = fx.api().book(provider);
            return send(call, call.payload(), now(), "not-a-signature");
        });
        forgeries.put("another key", () -> {
            var call = fx.api().book(provider);
            String ts = now();
            return send(call, call.payload(), ts, VapiCredentialKind.sign("HmacSHA256", UUID.randomUUID().toString(),
                    ts + "." + call.payload(), false));
        });
        forgeries.put("another algorithm (HMAC-SHA1)", () -> {
            var call = fx.api().book(provider);
            String ts = now();
            return send(call, call.payload(), ts, VapiCredentialKind.sign("HmacSHA1", credential.secret(),
                    ts + "." + call.payload(), false));
        });
        assertRefused(forgeries);
    }

    @Test
    @AllureId("V3.3")
    void staleAndFutureTimestampsAreRefused() {
        var forgeries = new LinkedHashMap<String, java.util.function.Supplier<Exchange>>();
        for (long shift : new long[] {-600, 600}) {
            forgeries.put("timestamp " + (shift < 0 ? "ten minutes old" : "ten minutes ahead"), () -> {
                var call = fx.api().book(provider);
                String ts = Long.toString(Instant.now().getEpochSecond() + shift);
                return send(call, call.payload(), ts, signed(ts, call.payload()));
            });
        }
        assertRefused(forgeries);
    }

    @Test
    @AllureId("V3.4")
    void aBodyChangedAfterSigningIsRefused() {
        var forgeries = new LinkedHashMap<String, java.util.function.Supplier<Exchange>>();
        forgeries.put("one byte changed", () -> {
            var call = fx.api().book(provider).patient("Jane Doe", "jane@example.test");
            String ts = now();
            String signature = signed(ts, call.payload());
            return send(call, call.payload().replace("Jane Doe", "Jane Dof"), ts, signature);
        });
        forgeries.put("whitespace added", () -> {
            var call = fx.api().book(provider);
            String ts = now();
            String signature = signed(ts, call.payload());
            return send(call, call.payload().replace("{\"message\":", "{ \"message\" :"), ts, signature);
        });
        forgeries.put("keys reordered", () -> {
            var call = fx.api().book(provider);
            String ts = now();
            String signature = signed(ts, call.payload());
            return send(call, reversedMessage(call.payload()), ts, signature);
        });
        assertRefused(forgeries);
    }

    @Test
    @AllureId("V3.5")
    void aSignatureOfAnotherTimestampIsRefused() {
        var forgeries = new LinkedHashMap<String, java.util.function.Supplier<Exchange>>();
        forgeries.put("signed at one time, sent with another", () -> {
            var call = fx.api().book(provider);
            long now = Instant.now().getEpochSecond();
            return send(call, call.payload(), Long.toString(now - 30), signed(Long.toString(now), call.payload()));
        });
        assertRefused(forgeries);
    }
}
