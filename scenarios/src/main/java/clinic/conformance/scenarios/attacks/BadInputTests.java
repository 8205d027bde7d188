package clinic.conformance.scenarios.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.fixtures.ConformanceTest;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.fixtures.seed.Clinic;
import clinic.conformance.fixtures.seed.Member;
import clinic.conformance.fixtures.vapi.ApiResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureId;
import io.qameta.allure.Feature;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * X3: generated bad input. Every malformed message gets a 4xx with the JSON error body and stores nothing; valid
 * strings full of quotes, injection text and Unicode are stored and returned verbatim.
 */
@ConformanceTest
@DisplayName("X3 Bad input")
@Tag("extended")
@Tag("X3")
@Feature("X3 Bad input")
class BadInputTests {
    private static final int MALFORMED_MESSAGES = 1_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> REQUIRED = List.of("clinic_id", "provider_id", "patient_name", "patient_email", "scheduled_at");
    private static final List<String> INJECTIONS = List.of("' OR '1'='1", "'; drop table appointments; --",
            "\" , \"org_id\": \"x", "{\"$ne\": null}", "${jndi:ldap://x}", "<script>alert(1)</script>", "../../etc/passwd",
            "%00", "1-1-1-1-1", "00000000-0000-0000-0000-00000000000g", "", " ");
    private static final List<String> VERBATIM_PIECES = List.of("O'Brien", "\"Zo\"", "\\", "`", ";", "--", "' OR '1'='1",
            "{\"a\":1}", "😀", "👩‍⚕️", "שלום", "東京", "é", "e\u0301", "Ω", "%s", "${jndi:x}", "<b>", "NULL", " ", "\t");
    private final Fixtures fx;
    private Clinic clinic;
    private Member provider;
    private Member verbatimProvider;
    private Member duplicateKeysProvider;
    private String token;

    BadInputTests(Fixtures fixtures) {
        this.fx = fixtures;
    }

    @BeforeAll
    void seed() {
        clinic = fx.seed().clinic("Bad input").insert();
        provider = fx.seed().provider(clinic).insert();
        verbatimProvider = fx.seed().provider(clinic).insert();
        duplicateKeysProvider = fx.seed().provider(clinic).insert();
        token = fx.tokens().of(clinic.admin());
    }

    @AfterAll
    void cleanUp() {
        fx.seed().cleanUp(clinic);
    }

    /** A malformed message and what was done to it. */
    record Malformed(String what, String body) {
    }

    @Test
    @AllureId("X3.1")
    void malformedMessagesAreRefusedCleanly() {
        var generator = new Generator(fx.options().attackSeed());
        var samples = java.util.stream.IntStream.range(0, MALFORMED_MESSAGES).mapToObj(i -> malformed(generator)).toList();

        for (Malformed sample : samples) {
            ApiResponse response = fx.api().postRaw(fx.api().toolsPath(), sample.body(), "Bearer " + token);
            assertRefusedCleanly(response, "[seed " + generator.seed() + "] " + sample.what(), sample.body());
        }
        assertThat(samples).hasSize(MALFORMED_MESSAGES);
        elevenCallsAreRefusedWholeOrEachAnswered();
        assertThat(fx.database().count("select count(*) from public.appointments where provider_id = ?", provider.id()))
                .as("appointments stored from %d malformed messages", MALFORMED_MESSAGES).isZero();
    }

    /**
     * Contract §1 leaves a cap on tool calls per message to the target: a message over its cap is refused whole
     * (a clean 4xx, or under the vapi profile 200 with every call's result an error); without a cap each call is
     * answered, in order. Eleven calls for a provider that does not exist: both ways, nothing is stored.
     */
    private void elevenCallsAreRefusedWholeOrEachAnswered() {
        ObjectNode root = validMessage();
        ObjectNode call = (ObjectNode) root.at("/message/toolCallList/0");
        ((ObjectNode) call.at("/function/arguments")).put("provider_id", java.util.UUID.randomUUID().toString());
        var list = ((ObjectNode) root.get("message")).putArray("toolCallList");
        var ids = new java.util.ArrayList<String>();
        for (int i = 0; i < 11; i++) {
            ids.add("call_eleven_" + i + "_" + java.util.UUID.randomUUID());
            list.add(call.deepCopy().put("id", ids.get(i)));
        }
        ((ObjectNode) root.get("message")).remove("toolWithToolCallList");
        ApiResponse response = fx.api().postRaw(fx.api().toolsPath(), root.toString(), "Bearer " + token);
        if (response.status() / 100 == 4) {
            assertRefusedCleanly(response, "eleven tool calls in one message", root.toString());
            Allure.step("the target refused the eleven-call message whole (" + response.status() + ")");
            return;
        }
        assertThat(response.status()).as("eleven tool calls in one message: %s", response).isEqualTo(200);
        assertThat(response.json().getList("results.toolCallId", String.class))
                .as("one result per call, in order, or one refusal of the whole message").isEqualTo(ids);
        assertThat(response.json().getList("results.error", String.class))
                .as("each call's answer for a provider that does not exist").allSatisfy(error -> assertThat(error).isNotBlank());
        Allure.step(response.json().getList("results.error_code", String.class).stream().distinct().count() == 1
                && !ids.isEmpty() ? "the target answered each of the eleven calls (no cap)" : "the target answered each call");
    }

    @Test
    @AllureId("X3.2")
    void malformedBodiesAreRefusedCleanly() {
        String valid = fx.api().book(provider).payload();
        byte[] validBytes = valid.getBytes(StandardCharsets.UTF_8);
        var cases = new java.util.LinkedHashMap<String, byte[]>();
        byte[] invalidUtf8 = valid.replace("Jane Doe", "Jane\u0001Doe").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < invalidUtf8.length; i++) {
            if (invalidUtf8[i] == 1) {
                invalidUtf8[i] = (byte) 0xC3;
            }
        }
        cases.put("invalid UTF-8 in a string", invalidUtf8);
        cases.put("a lone 0xFF byte", concat(validBytes, new byte[] {(byte) 0xFF}));
        for (int cut : new int[] {1, 10, validBytes.length / 2, validBytes.length - 1}) {
            cases.put("truncated at byte " + cut, java.util.Arrays.copyOf(validBytes, cut));
        }
        cases.put("trailing garbage", (valid + "}}garbage").getBytes(StandardCharsets.UTF_8));
        cases.put("5,000-deep nesting", ("{\"message\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}").getBytes(StandardCharsets.UTF_8));
        // contract §1 v2: tool-calls messages up to 1 MiB are ordinary; twice that is over any default
        cases.put("2 MiB of padding", valid.replace("\"assistant\":", "\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\",\"assistant\":")
                .getBytes(StandardCharsets.UTF_8));
        cases.put("empty body", new byte[0]);
        for (String scalar : new String[] {"null", "42", "\"text\"", "[]", "true"}) {
            cases.put("the JSON value " + scalar, scalar.getBytes(StandardCharsets.UTF_8));
        }
        for (var body : cases.entrySet()) {
            assertRefusedCleanly(fx.api().postBytes(body.getValue(), "application/json", token), body.getKey(), "");
        }
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "application/xml", null}) {
            assertRefusedCleanly(fx.api().postBytes(validBytes, type, token), "Content-Type " + type, "");
        }
        assertThat(fx.database().count("select count(*) from public.appointments where provider_id = ?", provider.id()))
                .as("appointments stored from malformed bodies").isZero();
        duplicateKeysAreRefusedOrReadAsOneValue();
    }

    /**
     * RFC 8259 leaves duplicate member names to the parser, and so does contract §1: a target refuses the body cleanly,
     * or reads one of the values. Whichever it reads, the token decides the org: a clinic_id naming another org is
     * refused as S2.4 refuses it, and nothing lands anywhere but the token's own org.
     */
    private void duplicateKeysAreRefusedOrReadAsOneValue() {
        var otherOrg = java.util.UUID.randomUUID().toString();
        for (boolean ownFirst : new boolean[] {true, false}) {
            var booking = fx.api().book(duplicateKeysProvider);
            String own = "\"clinic_id\":\"" + clinic.id() + "\"";
            String other = "\"clinic_id\":\"" + otherOrg + "\"";
            String body = booking.payload().replace(own, ownFirst ? own + "," + other : other + "," + own);
            assertThat(body).as("the body carries both values").contains(own).contains(other);
            ApiResponse response = fx.api().postBytes(body.getBytes(StandardCharsets.UTF_8), "application/json", token);
            assertThat(response.status()).as("duplicate clinic_id (%s first): %s", ownFirst ? "own" : "other", response)
                    .isLessThan(500);
            long stored = fx.database().count("select count(*) from public.appointments where vapi_tool_call_id = ?",
                    booking.toolCallId());
            long storedOwn = fx.database().count("select count(*) from public.appointments where vapi_tool_call_id = ? "
                    + "and org_id = ?", booking.toolCallId(), clinic.id());
            assertThat(stored).as("rows from a body with duplicate keys outside the token's org").isEqualTo(storedOwn);
            Allure.step(response.appointmentId() != null
                    ? "duplicate clinic_id, " + (ownFirst ? "own" : "other") + " first: the target read one value and booked in its own org"
                    : "duplicate clinic_id, " + (ownFirst ? "own" : "other") + " first: refused (" + response.status()
                    + (response.refusalCode() == null ? "" : " " + response.refusalCode()) + ")");
            assertThat(storedOwn).as("rows in the token's org from one body with duplicate keys").isLessThanOrEqualTo(1);
        }
    }

    @Test
    @AllureId("X3.3")
    void validStringsAreStoredVerbatim() {
        var generator = new Generator(fx.options().attackSeed());
        var names = java.util.stream.IntStream.range(0, 100)
                .mapToObj(i -> "A" + String.join("", generator.list(1, 8, g -> g.oneOf(VERBATIM_PIECES)))).toList();

        for (String name : names) {
            var call = fx.api().book(verbatimProvider).patient(name, "verbatim@example.test");
            var response = call.send(token);
            assertThat(response.status()).as("[seed %d] booking for %s: %s", generator.seed(), name, response).isEqualTo(200);
            assertThat(response.json().getString("appointment.patient_name")).as("returned name").isEqualTo(name);
            var stored = fx.database().rows("select patient_name from public.appointments where vapi_tool_call_id = ?",
                    call.toolCallId());
            assertThat(stored).as("stored rows for %s", name).singleElement()
                    .satisfies(row -> assertThat(row.get("patient_name")).as("stored name").isEqualTo(name));
        }
    }

    private static void assertRefusedCleanly(ApiResponse response, String what, String body) {
        String context = what + (body.length() > 300 ? " " + body.substring(0, 300) + "…" : " " + body);
        assertThat(response.status()).as("status for %s: %s", context, response).isBetween(400, 499);
        assertThat(response.contentType()).as("Content-Type for %s", context).startsWith("application/json");
        assertThat(response.json().getBoolean("success")).as("success for %s", context).isFalse();
        assertThat(response.json().getString("error.code")).as("error.code for %s", context).isNotBlank();
        assertThat(response.body()).as("no stack trace or SQL for %s", context)
                .doesNotContain("\tat ", "Exception", "SQLSTATE", "select ", "insert into");
    }

    /** One malformed message: a valid one with exactly one thing made wrong, chosen by the generator. */
    private Malformed malformed(Generator g) {
        String field = g.oneOf(REQUIRED);
        return g.oneOf(
                () -> args("without " + field, a -> a.remove(field)),
                () -> {
                    JsonNode value = wrongValue(g);
                    return args(field + " = " + value, a -> a.set(field, value));
                },
                () -> {
                    String idField = g.oneOf(List.of("clinic_id", "provider_id"));
                    String junk = junk(g);
                    return args(idField + " = junk", a -> a.put(idField, junk));
                },
                () -> {
                    String name = g.oneOf(() -> "", () -> g.of(" \t\n", g.between(1, 20)),
                            () -> g.of("abcdefghijklmnopqrstuvwxyz", g.between(201, 3_000)),
                            () -> g.of("abc", g.between(0, 20)) + "\u0000", () -> g.of("abc", g.between(0, 20)) + "\ud800");
                    return args("patient_name of " + name.length() + " chars", a -> a.put("patient_name", name));
                },
                () -> {
                    String email = g.text(60).replace("@", "");
                    return args("patient_email without @", a -> a.put("patient_email", email));
                },
                () -> {
                    int minutes = g.coin() ? g.between(-1_000_000, 4) : g.between(481, 10_000_000);
                    return args("duration " + minutes, a -> a.put("duration_minutes", minutes));
                },
                () -> {
                    JsonNode minutes = g.oneOf(() -> NODES.numberNode(Math.floor(g.between(5.0, 479.0)) + 0.5),
                            () -> NODES.numberNode(g.between(Integer.MAX_VALUE + 1L, Long.MAX_VALUE / 2)),
                            () -> NODES.textNode(g.oneOf(List.of("30", "thirty", "3e1"))));
                    return args("duration " + minutes, a -> a.set("duration_minutes", minutes));
                },
                () -> {
                    String time = g.coin() ? g.oneOf(List.of("2030-01-07T09:00:00", "2030-01-07", "09:00",
                            "2030-13-45T99:00:00Z", "tomorrow at nine", "1893456000")) : junk(g);
                    return args("scheduled_at " + time, a -> a.put("scheduled_at", time));
                },
                () -> message(g.oneOf(List.of(MessageFault.values()))));
    }

    private static JsonNode wrongValue(Generator g) {
        return g.oneOf(() -> NODES.numberNode(g.between(Integer.MIN_VALUE, Integer.MAX_VALUE)),
                () -> NODES.numberNode(g.between(-1e12, 1e12)), () -> NODES.booleanNode(g.coin()), NODES::nullNode,
                () -> NODES.arrayNode().add("x"), () -> NODES.objectNode().put("x", 1));
    }

    private static String junk(Generator g) {
        return g.coin() ? g.oneOf(INJECTIONS) : g.text(60);
    }

    /** Faults at the level of the Vapi message rather than the arguments. */
    enum MessageFault { WRONG_TYPE, NO_TYPE, NO_LIST, EMPTY_LIST, LIST_NOT_ARRAY, NO_ID, NUMERIC_ID,
        UNKNOWN_FUNCTION, NO_FUNCTION_NAME, ARGUMENTS_ARRAY, ARGUMENTS_NUMBER, ARGUMENTS_BAD_STRING, NO_MESSAGE }

    private Malformed message(MessageFault fault) {
        ObjectNode root = validMessage();
        ObjectNode message = (ObjectNode) root.get("message");
        ObjectNode call = (ObjectNode) message.get("toolCallList").get(0);
        ObjectNode function = (ObjectNode) call.get("function");
        switch (fault) {
            case WRONG_TYPE -> message.put("type", "status-update");
            case NO_TYPE -> message.remove("type");
            case NO_LIST -> message.remove("toolCallList");
            case EMPTY_LIST -> message.putArray("toolCallList");
            case LIST_NOT_ARRAY -> message.put("toolCallList", "book");
            case NO_ID -> call.remove("id");
            case NUMERIC_ID -> call.put("id", 42);
            case UNKNOWN_FUNCTION -> function.put("name", "drop_all_tables");
            case NO_FUNCTION_NAME -> function.remove("name");
            case ARGUMENTS_ARRAY -> function.putArray("arguments").add(1);
            case ARGUMENTS_NUMBER -> function.put("arguments", 42);
            case ARGUMENTS_BAD_STRING -> function.put("arguments", "{\"clinic_id\": ");
            case NO_MESSAGE -> root.remove("message");
        }
        return new Malformed("message fault " + fault, root.toString());
    }

    private Malformed args(String what, Consumer<ObjectNode> change) {
        ObjectNode root = validMessage();
        change.accept((ObjectNode) root.at("/message/toolCallList/0/function/arguments"));
        return new Malformed(what, escapeUnpairedSurrogates(root.toString()));
    }

    /** A lone surrogate cannot travel as UTF-8 (the encoder would send '?'): send it as the JSON escape it is. */
    private static String escapeUnpairedSurrogates(String json) {
        var out = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1));
            if (paired) {
                out.append(c).append(json.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private ObjectNode validMessage() {
        try {
            return (ObjectNode) MAPPER.readTree(fx.api().book(provider).payload());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
