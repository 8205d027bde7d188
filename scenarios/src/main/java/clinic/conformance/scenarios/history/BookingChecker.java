package clinic.conformance.scenarios.history;

import clinic.conformance.scenarios.history.Op.Kind;
import clinic.conformance.scenarios.history.Op.Outcome;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Decides whether a recorded booking history could have happened on a correct backend (X6). The model: per provider, a
 * set of booked intervals, at most one over any instant; a booking of a free interval succeeds, of a taken one is a
 * conflict; a resent tool call returns its first result and books nothing new; a cancel frees its booking. First the
 * definitive invariants on the final state; then a search (Wing–Gong–Lowe, memoized on what is linearized and the
 * state) for an order consistent with real time that explains every outcome — stopped at a time budget with an
 * honest "inconclusive", never a pass.
 */
public final class BookingChecker {

    /** One row of the final state, as the target's database holds it. */
    public record Row(UUID id, UUID provider, String toolCallId, OffsetDateTime start, int minutes, String status) {
        boolean booked() {
            return "booked".equals(status);
        }

        boolean overlaps(Row other) {
            return start.isBefore(other.start.plusMinutes(other.minutes)) && other.start.isBefore(start.plusMinutes(minutes));
        }
    }

    /** The checker's answer. */
    public sealed interface Verdict {
        /** Some real-time-consistent order explains every outcome. */
        record Valid(int operations) implements Verdict {
        }

        /** No order does: {@code why}, shown by {@code witnesses} (a smallest sub-history that still fails). */
        record Invalid(String why, List<Op> witnesses) implements Verdict {
        }

        /** The search ran out of its time budget: nothing concluded, and never reported as a pass. */
        record Inconclusive(String why) implements Verdict {
        }
    }

    private final long budgetNanos;

    public BookingChecker(java.time.Duration budget) {
        this.budgetNanos = budget.toNanos();
    }

    /** Checks {@code history} (every operation of every client) against the {@code finalRows} of its providers. */
    public Verdict check(List<Op> history, List<Row> finalRows) {
        var invariant = invariants(history, finalRows);
        if (invariant.isPresent()) {
            return invariant.get();
        }
        long deadline = System.nanoTime() + budgetNanos;
        var byProvider = new HashMap<UUID, List<Op>>();
        var providerOf = new HashMap<UUID, UUID>();
        for (Op op : history) {
            if (op.booking()) {
                byProvider.computeIfAbsent(op.provider(), p -> new ArrayList<>()).add(op);
                if (op.appointment() != null) {
                    providerOf.put(op.appointment(), op.provider());
                }
            }
        }
        finalRows.forEach(row -> providerOf.putIfAbsent(row.id(), row.provider()));
        for (Op op : history) {
            if (op.kind() == Kind.CANCEL && providerOf.containsKey(op.target())) {
                byProvider.computeIfAbsent(providerOf.get(op.target()), p -> new ArrayList<>()).add(op);
            }
        }
        for (var provider : byProvider.entrySet()) {
            var rows = finalRows.stream().filter(r -> r.provider().equals(provider.getKey())).toList();
            var verdict = linearizable(provider.getValue(), rows, deadline);
            if (verdict instanceof Verdict.Invalid invalid) {
                return shrink(provider.getValue(), rows, invalid, deadline);
            }
            if (verdict instanceof Verdict.Inconclusive) {
                return verdict;
            }
        }
        return new Verdict.Valid(history.size());
    }

    /** What no order can excuse, read straight off the final state and the answers. */
    static Optional<Verdict> invariants(List<Op> history, List<Row> finalRows) {
        for (Op op : history) {
            if (op.kind() == Kind.LIST && op.detail() != null) {
                return Optional.of(new Verdict.Invalid("an org's list showed another org's rows: " + op.detail(), List.of(op)));
            }
        }
        var booked = finalRows.stream().filter(Row::booked).toList();
        for (int i = 0; i < booked.size(); i++) {
            for (int j = i + 1; j < booked.size(); j++) {
                Row a = booked.get(i);
                Row b = booked.get(j);
                if (a.provider().equals(b.provider()) && a.overlaps(b)) {
                    return Optional.of(new Verdict.Invalid("double booking: rows " + a.id() + " and " + b.id()
                            + " of one provider overlap", opsOf(history, Set.of(a.toolCallId(), b.toolCallId()))));
                }
            }
        }
        var perCall = new HashMap<String, List<Row>>();
        finalRows.forEach(row -> perCall.computeIfAbsent(row.toolCallId(), t -> new ArrayList<>()).add(row));
        for (var call : perCall.entrySet()) {
            if (call.getKey() != null && call.getValue().size() > 1) {
                return Optional.of(new Verdict.Invalid("one toolCallId made " + call.getValue().size() + " rows: "
                        + call.getKey(), opsOf(history, Set.of(call.getKey()))));
            }
        }
        var rowsById = new HashMap<UUID, Row>();
        finalRows.forEach(row -> rowsById.put(row.id(), row));
        var firstAnswer = new HashMap<String, UUID>();
        for (Op op : history) {
            if (!op.booking() || op.outcome() != Outcome.OK) {
                continue;
            }
            Row row = rowsById.get(op.appointment());
            if (row == null) {
                return Optional.of(new Verdict.Invalid("a booking the caller heard confirmed is not there: "
                        + op.appointment(), List.of(op)));
            }
            UUID first = firstAnswer.putIfAbsent(op.toolCallId(), op.appointment());
            if (first != null && !first.equals(op.appointment())) {
                return Optional.of(new Verdict.Invalid("a resent toolCallId answered another booking than its first",
                        opsOf(history, Set.of(op.toolCallId()))));
            }
            boolean cancelTried = history.stream().anyMatch(c -> c.kind() == Kind.CANCEL
                    && op.appointment().equals(c.target()) && (c.outcome() == Outcome.OK || c.indeterminate()));
            if (!row.booked() && !cancelTried) {
                return Optional.of(new Verdict.Invalid("a confirmed booking was cancelled though no one asked", List.of(op)));
            }
        }
        return Optional.empty();
    }

    private static List<Op> opsOf(List<Op> history, Set<String> toolCallIds) {
        return history.stream().filter(op -> op.toolCallId() != null && toolCallIds.contains(op.toolCallId())).toList();
    }

    /** The search for one provider's operations. */
    Verdict linearizable(List<Op> ops, List<Row> rows, long deadline) {
        var rowByCall = new HashMap<String, Row>();
        rows.forEach(row -> rowByCall.put(row.toolCallId(), row));
        var relevant = new ArrayList<Op>();
        for (Op op : ops) {
            // an unanswered booking that left no row never took effect: nothing to place
            if (op.booking() && op.indeterminate() && !rowByCall.containsKey(op.toolCallId())) {
                continue;
            }
            relevant.add(op);
        }
        relevant.sort(Comparator.comparingLong(Op::invoke));
        var search = new Search(relevant, rowByCall, rows, deadline);
        return switch (search.run()) {
            case FOUND -> new Verdict.Valid(relevant.size());
            case NONE -> new Verdict.Invalid("no order of the operations consistent with real time explains every "
                    + "answer (a conflict with no booking in its way, a booking over a taken slot, or a final state no "
                    + "order reaches)", relevant);
            case OUT_OF_TIME -> new Verdict.Inconclusive("the search ran out of its time budget on " + relevant.size()
                    + " operations of one provider");
        };
    }

    /** Drops operations one by one while the history still fails: what is left is the smallest failing sub-history. */
    private Verdict shrink(List<Op> ops, List<Row> rows, Verdict.Invalid invalid, long deadline) {
        var kept = new ArrayList<>(invalid.witnesses());
        for (int i = kept.size() - 1; i >= 0 && System.nanoTime() < deadline; i--) {
            var fewer = new ArrayList<>(kept);
            Op dropped = fewer.remove(i);
            var rowsLeft = rows.stream().filter(r -> fewer.stream().anyMatch(op -> r.toolCallId() != null
                    && r.toolCallId().equals(op.toolCallId()))).toList();
            // a cancelled row needs the cancel that explains it: without it the sub-history fails for a reason of its own
            boolean unexplained = rowsLeft.stream().anyMatch(r -> !r.booked() && fewer.stream().noneMatch(op ->
                    op.kind() == Kind.CANCEL && r.id().equals(op.target())))
                    || fewer.stream().anyMatch(op -> op.kind() == Kind.CANCEL && rowsLeft.stream()
                    .noneMatch(r -> r.id().equals(op.target())) && rows.stream().anyMatch(r -> r.id().equals(op.target())));
            if (unexplained) {
                continue;
            }
            if (linearizable(fewer, rowsLeft, deadline) instanceof Verdict.Invalid) {
                kept = fewer;
            }
        }
        return new Verdict.Invalid(invalid.why(), kept);
    }

    private enum Result { FOUND, NONE, OUT_OF_TIME }

    /** Wing–Gong–Lowe with memoization of (linearized set, state) pairs already explored. */
    private static final class Search {
        private final List<Op> ops;
        private final Map<String, Row> rowByCall;
        private final List<Row> finalRows;
        private final long deadline;
        private final Set<String> explored = new HashSet<>();
        private long steps;

        Search(List<Op> ops, Map<String, Row> rowByCall, List<Row> finalRows, long deadline) {
            this.ops = ops;
            this.rowByCall = rowByCall;
            this.finalRows = finalRows;
            this.deadline = deadline;
        }

        Result run() {
            return step(new BitSet(ops.size()), new ProviderModel());
        }

        private Result step(BitSet done, ProviderModel model) {
            if ((++steps & 1023) == 1 && System.nanoTime() > deadline) {
                return Result.OUT_OF_TIME;
            }
            if (done.cardinality() == ops.size()) {
                return model.matches(finalRows) ? Result.FOUND : Result.NONE;
            }
            if (!explored.add(done + "|" + model.signature())) {
                return Result.NONE;
            }
            long horizon = Long.MAX_VALUE;
            for (int i = done.nextClearBit(0); i < ops.size(); i = done.nextClearBit(i + 1)) {
                horizon = Math.min(horizon, ops.get(i).complete());
            }
            for (int i = done.nextClearBit(0); i < ops.size() && ops.get(i).invoke() <= horizon; i = done.nextClearBit(i + 1)) {
                for (ProviderModel next : model.apply(ops.get(i), rowByCall)) {
                    done.set(i);
                    Result result = step(done, next);
                    done.clear(i);
                    if (result != Result.NONE) {
                        return result;
                    }
                }
            }
            return Result.NONE;
        }
    }
}
