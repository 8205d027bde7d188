package clinic.conformance.scenarios.vapi;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.fixtures.ConformanceTest;
import clinic.conformance.fixtures.Fixtures;
import clinic.conformance.fixtures.seed.Clinic;
import clinic.conformance.fixtures.seed.Member;
import clinic.conformance.fixtures.seed.Slots;
import clinic.conformance.fixtures.target.Profile;
import clinic.conformance.fixtures.vapi.ApiResponse;
import clinic.conformance.fixtures.vapi.BookingCall;
import io.qameta.allure.AllureId;
import io.qameta.allure.Feature;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** V1: what a real Vapi assistant needs of the server URL (contract §1 v2): answers it can hear, as it sends messages. */
@ConformanceTest
@DisplayName("V1 Vapi platform")
@Tag("extended")
@Tag("V1")
@Feature("V1 Vapi platform")
class VapiPlatformTests {
    private final Fixtures fx;
    private Clinic clinic;
    private Clinic otherClinic;
    private Member provider;
    private String token;

    VapiPlatformTests(Fixtures fixtures) {
        this.fx = fixtures;
    }

    @BeforeAll
    void seed() {
        clinic = fx.seed().clinic("Vapi platform").insert();
        otherClinic = fx.seed().clinic("Vapi platform, other").insert();
        provider = fx.seed().provider(clinic).insert();
        token = fx.tokens().of(clinic.admin());
    }

    @AfterAll
    void cleanUp() {
        fx.seed().cleanUp(clinic, otherClinic);
    }

    private long rowsOf(String toolCallId) {
        return fx.database().count("select count(*) from public.appointments where vapi_tool_call_id = ?", toolCallId);
    }

    @Test
    @AllureId("V1.1")
    void refusalsAreDeliveredAsVapiReadsThem() {
        Assumptions.assumeTrue(fx.api().profile() == Profile.VAPI, "certified under the seed profile: refusals are "
                + "HTTP statuses, which a real Vapi assistant ignores (certify with --profile vapi)");
        OffsetDateTime slot = Slots.fresh();
        assertThat(fx.api().book(provider).at(slot).send(token).httpStatus()).as("the first booking").isEqualTo(200);
        var refusals = List.of(
                new Refusal("a conflict", fx.api().book(provider).at(slot.plusMinutes(10)), "slot_conflict"),
                new Refusal("another clinic", fx.api().book(provider).inClinic(otherClinic.id()), "forbidden"),
                new Refusal("an unknown provider", fx.api().book(provider).withProvider(UUID.randomUUID()),
                        "provider_not_found", "not_found"),
                new Refusal("a duration of 3 minutes", fx.api().book(provider).minutes(3), "invalid_request"));
        for (Refusal refusal : refusals) {
            ApiResponse answer = refusal.call().send(token);
            var json = answer.json();
            assertThat(answer.httpStatus()).as("HTTP status for %s (Vapi reads only 200): %s", refusal.what(), answer)
                    .isEqualTo(200);
            assertThat(json.getList("results")).as("results for %s", refusal.what()).hasSize(1);
            assertThat(json.getString("results[0].toolCallId")).isEqualTo(refusal.call().toolCallId());
            assertThat(json.getString("results[0].error")).as("the error the caller hears, %s", refusal.what()).isNotBlank();
            assertThat(json.getString("results[0].error_code")).as("error_code for %s", refusal.what())
                    .isIn((Object[]) refusal.codes());
            assertThat(rowsOf(refusal.call().toolCallId())).as("rows created by %s", refusal.what()).isZero();
        }
    }

    private record Refusal(String what, BookingCall call, String... codes) {
    }

    @Test
    @AllureId("V1.2")
    void everyCallOfAMessageIsAnsweredAndNothingIsCommittedUntold() {
        OffsetDateTime slot = Slots.fresh();
        // arguments as a JSON string: how Vapi's server SDK types ToolCall.function.arguments
        var first = fx.api().book(provider).at(slot).shaped(BookingCall.Shape.NESTED_STRING);
        var overlapping = fx.api().book(provider).at(slot.plusMinutes(15)).shaped(BookingCall.Shape.NESTED_STRING);
        var malformed = fx.api().book(provider).minutes(3).shaped(BookingCall.Shape.NESTED_STRING);
        var last = fx.api().book(provider).at(slot.plusHours(2)).shaped(BookingCall.Shape.NESTED_STRING);

        ApiResponse answer = fx.api().message().with(first).with(overlapping).with(malformed).with(last).send(token);

        var json = answer.json();
        assertThat(answer.httpStatus()).as("a message of several calls is answered 200 under both profiles: %s", answer)
                .isEqualTo(200);
        assertThat(json.getList("results.toolCallId")).as("one result per call, in order").containsExactly(
                first.toolCallId(), overlapping.toolCallId(), malformed.toolCallId(), last.toolCallId());
        assertThat(json.getString("results[0].result")).as("the first booking is reported").isNotBlank();
        assertThat(json.getString("results[1].error_code")).isEqualTo("slot_conflict");
        assertThat(json.getString("results[2].error_code")).isEqualTo("invalid_request");
        assertThat(json.getString("results[3].result")).as("a refusal never hides a later booking").isNotBlank();
        assertThat(rowsOf(first.toolCallId()) + rowsOf(last.toolCallId())).as("the two reported bookings").isEqualTo(2);
        assertThat(rowsOf(overlapping.toolCallId()) + rowsOf(malformed.toolCallId())).as("refused calls").isZero();
    }

    @Test
    @AllureId("V1.3")
    void resultsAreSingleLines() {
        var llm = fx.llmOrSkip();
        String question = "What should I bring to my first visit " + UUID.randomUUID() + "?";
        llm.answers(question, "Please bring your insurance card.\nArrive ten minutes early.\r\nBring a photo ID.");

        ApiResponse answer = fx.api().ask(question).send(token);

        String spoken = answer.json().getString("results[0].result");
        assertThat(answer.httpStatus()).as("%s", answer).isEqualTo(200);
        assertThat(spoken).as("what Vapi speaks").doesNotContain("\n").doesNotContain("\r")
                .contains("insurance card").contains("ten minutes early").contains("photo ID");
        var refused = fx.api().book(provider).inClinic(otherClinic.id()).send(token);
        for (ApiResponse each : List.of(answer, refused)) {
            // contract §1 v3: a result may carry the message Vapi speaks instead of generating one: one line, and said
            // of a success only where the call succeeded
            List<Object> messages = each.json().getList("results.message");
            for (Object message : messages == null ? List.<Object>of() : messages) {
                if (message != null) {
                    assertThat(message.toString()).as("results[].message of %s", each).doesNotContain("\n").doesNotContain("\r");
                }
            }
        }
        assertThat(refused.json().getString("results[0].error")).as("the refusal, in one line").doesNotContain("\n");
    }

    @Test
    @AllureId("V1.6")
    void aBookingIsAnsweredWithinVapisTimeoutWhileGoogleHangs() {
        var calendar = fx.calendarOrSkip();
        String marker = "Hanging " + UUID.randomUUID();
        var hanging = calendar.hangsFor(marker, Duration.ofSeconds(25));
        try {
            var call = fx.api().book(provider).patient(marker, "hang@example.test");
            long started = System.nanoTime();
            ApiResponse answer = call.send(token);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(took).as("the booking's answer while Google hangs for 25 s (measured %s ms)", took.toMillis())
                    .isLessThan(Duration.ofSeconds(20));
            assertThat(answer.status()).as("%s", answer).isEqualTo(200);
            assertThat(rowsOf(call.toolCallId())).as("the booking").isOne();
        } finally {
            hanging.recover();
        }
    }

    @Test
    @AllureId("V1.4")
    void realisticMessagesInEveryArgumentShapeBook() {
        var large = fx.api().book(provider);
        ApiResponse answer = fx.api().message().with(large).withTranscriptOf(300_000).send(token);
        assertThat(answer.httpStatus()).as("a long call's message, %d KB",
                fx.api().message().with(large).withTranscriptOf(300_000).body().length() / 1000).isEqualTo(200);
        assertThat(answer.json().getString("results[0].result")).as("%s", answer).isNotBlank();
        assertThat(rowsOf(large.toolCallId())).isEqualTo(1);
        for (BookingCall.Shape shape : BookingCall.Shape.values()) {
            var call = fx.api().book(provider).shaped(shape);
            ApiResponse shaped = fx.api().message().with(call).send(token);
            assertThat(shaped.json().getString("results[0].result")).as("arguments shaped %s: %s", shape, shaped)
                    .isNotBlank();
            assertThat(rowsOf(call.toolCallId())).as("rows for the %s shape", shape).isEqualTo(1);
        }
    }

    @Test
    @AllureId("V1.5")
    void timesAreSpokenInTheCallersOffset() {
        OffsetDateTime utc = Slots.fresh();
        OffsetDateTime callers = utc.withOffsetSameInstant(ZoneOffset.ofHours(-5));

        ApiResponse answer = fx.api().book(provider).at(callers).send(token);

        String spoken = answer.json().getString("results[0].result");
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        assertThat(spokenForms(callers)).as("the caller's time in %s", spoken).anyMatch(spoken::contains);
        String withoutOffsets = spoken.replaceAll("[+\\-\u2212]\\d{1,2}:\\d{2}", "");
        assertThat(spokenForms(utc)).as("UTC's time in %s", spoken).noneMatch(withoutOffsets::contains);
    }

    /** 09:30, 9:30, 9:30 AM, 9:30 a.m. — the ways a sentence may say a time of day. */
    private static List<String> spokenForms(OffsetDateTime time) {
        String twelve = time.format(DateTimeFormatter.ofPattern("h:mm", Locale.ENGLISH));
        String meridiem = time.format(DateTimeFormatter.ofPattern("a", Locale.ENGLISH));
        return List.of(time.format(DateTimeFormatter.ofPattern("HH:mm")), twelve + " " + meridiem,
                twelve + " " + meridiem.toLowerCase(Locale.ROOT), twelve + meridiem.toLowerCase(Locale.ROOT),
                twelve + " " + (meridiem.startsWith("A") ? "a.m." : "p.m."));
    }
}
