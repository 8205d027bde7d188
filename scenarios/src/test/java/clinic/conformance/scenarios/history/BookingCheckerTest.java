package clinic.conformance.scenarios.history;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.scenarios.history.BookingChecker.Row;
import clinic.conformance.scenarios.history.BookingChecker.Verdict;
import clinic.conformance.scenarios.history.Op.Kind;
import clinic.conformance.scenarios.history.Op.Outcome;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("X6's checker on small hand-written histories")
class BookingCheckerTest {
    private static final UUID PROVIDER = UUID.randomUUID();
    private static final OffsetDateTime NINE = OffsetDateTime.parse("2031-01-06T09:00:00Z");
    private static final long GAVE_UP = Long.MAX_VALUE;
    private final List<Op> history = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();

    /** A booking of NINE + {@code at} minutes for {@code minutes}, invoked and completed at those instants. */
    private Op book(String call, int at, int minutes, long invoke, long complete, Outcome outcome, UUID id) {
        var op = new Op(history.size(), 0, Kind.BOOK, "A", PROVIDER, NINE.plusMinutes(at), minutes, call, null, invoke,
                complete, outcome, id, null);
        history.add(op);
        return op;
    }

    private Op resend(Op original, long invoke, long complete, Outcome outcome, UUID id) {
        var op = new Op(history.size(), 1, Kind.RESEND, "A", PROVIDER, original.start(), original.minutes(),
                original.toolCallId(), null, invoke, complete, outcome, id, null);
        history.add(op);
        return op;
    }

    private void cancel(UUID target, long invoke, long complete, Outcome outcome) {
        history.add(new Op(history.size(), 2, Kind.CANCEL, "A", null, null, 0, null, target, invoke, complete, outcome,
                outcome == Outcome.OK ? target : null, null));
    }

    private void row(UUID id, String call, int at, int minutes, String status) {
        rows.add(new Row(id, PROVIDER, call, NINE.plusMinutes(at), minutes, status));
    }

    private Verdict verdict() {
        return new BookingChecker(Duration.ofSeconds(10)).check(history, rows);
    }

    @Test
    void aSequentialLineOfBookingsConflictsCancellationsAndRebookingsIsValid() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        book("c1", 0, 60, 0, 10, Outcome.OK, first);
        book("c2", 30, 30, 20, 30, Outcome.CONFLICT, null);
        cancel(first, 40, 50, Outcome.OK);
        cancel(first, 55, 58, Outcome.NOT_FOUND);
        book("c3", 30, 30, 60, 70, Outcome.OK, second);
        row(first, "c1", 0, 60, "cancelled");
        row(second, "c3", 30, 30, "booked");

        assertThat(verdict()).isInstanceOf(Verdict.Valid.class);
    }

    @Test
    void twoConcurrentOverlappingBookingsMayGoEitherWay() {
        UUID winner = UUID.randomUUID();
        book("c1", 15, 30, 0, 100, Outcome.CONFLICT, null);
        book("c2", 0, 30, 10, 90, Outcome.OK, winner);
        row(winner, "c2", 0, 30, "booked");

        assertThat(verdict()).isInstanceOf(Verdict.Valid.class);
    }

    @Test
    void anAbandonedBookingThatTookEffectOnceAndAResendAnsweredWithItsFirstResultAreValid() {
        UUID id = UUID.randomUUID();
        Op original = book("c1", 0, 30, 0, GAVE_UP, Outcome.UNKNOWN, null);
        resend(original, 5, 40, Outcome.OK, id);
        book("c2", 0, 15, 50, 60, Outcome.CONFLICT, null);
        book("c3", 60, 15, 50, GAVE_UP, Outcome.UNKNOWN, null);
        row(id, "c1", 0, 30, "booked");

        assertThat(verdict()).isInstanceOf(Verdict.Valid.class);
    }

    @Test
    void twoBookedRowsThatOverlapAreADoubleBooking() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        book("c1", 0, 60, 0, 10, Outcome.OK, a);
        book("c2", 45, 30, 0, 10, Outcome.OK, b);
        row(a, "c1", 0, 60, "booked");
        row(b, "c2", 45, 30, "booked");

        assertThat(verdict()).isInstanceOfSatisfying(Verdict.Invalid.class,
                invalid -> assertThat(invalid.why()).startsWith("double booking"));
    }

    @Test
    void aResentCallThatMadeASecondRowIsCaught() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        Op original = book("c1", 0, 30, 0, 20, Outcome.OK, a);
        resend(original, 5, 25, Outcome.OK, b);
        row(a, "c1", 0, 30, "booked");
        row(b, "c1", 0, 30, "cancelled");

        assertThat(verdict()).isInstanceOfSatisfying(Verdict.Invalid.class,
                invalid -> assertThat(invalid.why()).startsWith("one toolCallId made 2 rows"));
    }

    @Test
    void aResendAnsweredWithAnotherBookingIsCaught() {
        UUID a = UUID.randomUUID();
        Op original = book("c1", 0, 30, 0, 20, Outcome.OK, a);
        resend(original, 30, 40, Outcome.OK, UUID.randomUUID());
        row(a, "c1", 0, 30, "booked");

        assertThat(verdict()).isInstanceOfSatisfying(Verdict.Invalid.class, invalid -> assertThat(invalid.why())
                .satisfiesAnyOf(why -> assertThat(why).contains("answered another booking"),
                        why -> assertThat(why).contains("not there")));
    }

    @Test
    void aConfirmedBookingThatIsNotThereIsCaught() {
        book("c1", 0, 30, 0, 20, Outcome.OK, UUID.randomUUID());

        assertThat(verdict()).isInstanceOfSatisfying(Verdict.Invalid.class,
                invalid -> assertThat(invalid.why()).startsWith("a booking the caller heard confirmed is not there"));
    }

    @Test
    void aConflictWithNothingInItsWayIsCaught() {
        UUID a = UUID.randomUUID();
        book("c1", 0, 30, 0, 10, Outcome.OK, a);
        book("c2", 30, 30, 20, 30, Outcome.CONFLICT, null);
        row(a, "c1", 0, 30, "booked");

        assertThat(verdict()).isInstanceOfSatisfying(Verdict.Invalid.class,
                invalid -> assertThat(invalid.witnesses()).extracting(Op::toolCallId).contains("c2"));
    }

    @Test
    void aSlotFreedBeforeItsCancelIsCaughtAndShrunkToTheOperationsThatShowIt() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID noise = UUID.randomUUID();
        book("noise", 120, 15, 0, 5, Outcome.OK, noise);
        row(noise, "noise", 120, 15, "booked");
        book("c1", 0, 60, 0, 10, Outcome.OK, a);
        book("c2", 0, 60, 20, 25, Outcome.OK, b);
        cancel(a, 30, 40, Outcome.OK);
        row(a, "c1", 0, 60, "cancelled");
        row(b, "c2", 0, 60, "booked");

        assertThat(verdict()).isInstanceOfSatisfying(Verdict.Invalid.class, invalid -> {
            assertThat(invalid.why()).startsWith("no order");
            assertThat(invalid.witnesses()).extracting(Op::toolCallId).doesNotContain("noise").contains("c1", "c2");
        });
    }

    @Test
    void aCancelThatSaidNotFoundButHadFreedTheSlotIsCaught() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        book("c1", 0, 30, 0, 10, Outcome.OK, a);
        cancel(a, 20, 30, Outcome.NOT_FOUND);
        book("c2", 0, 30, 40, 50, Outcome.OK, b);
        row(a, "c1", 0, 30, "cancelled");
        row(b, "c2", 0, 30, "booked");

        assertThat(verdict()).isInstanceOf(Verdict.Invalid.class);
    }

    @Test
    void anotherOrgsRowInAListIsCaught() {
        history.add(new Op(0, 0, Kind.LIST, "A", null, null, 0, null, null, 0, 5, Outcome.OK, null,
                "saw 1 rows of another org"));

        assertThat(verdict()).isInstanceOfSatisfying(Verdict.Invalid.class,
                invalid -> assertThat(invalid.why()).startsWith("an org's list showed another org's rows"));
    }

    @Test
    void aSearchOutOfTimeIsInconclusiveNeverAPass() {
        UUID a = UUID.randomUUID();
        book("c1", 0, 30, 0, 10, Outcome.OK, a);
        row(a, "c1", 0, 30, "booked");

        assertThat(new BookingChecker(Duration.ZERO).check(history, rows)).isInstanceOf(Verdict.Inconclusive.class);
    }
}
