package clinic.conformance.scenarios.history;

import clinic.conformance.scenarios.history.Op.Kind;
import clinic.conformance.scenarios.history.Op.Outcome;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One provider's state: booked intervals by appointment, and the first answer of every toolCallId that booked. */
record ProviderModel(Map<UUID, Op> booked, Map<String, UUID> created) {
    ProviderModel() {
        this(Map.of(), Map.of());
    }

    /** The states {@code op} may lead to with its answer: none when the answer is impossible here. */
    List<ProviderModel> apply(Op op, Map<String, BookingChecker.Row> rowByCall) {
        if (op.kind() == Kind.LIST) {
            return List.of(this);
        }
        if (op.kind() == Kind.CANCEL) {
            boolean present = booked.containsKey(op.target());
            return switch (op.outcome()) {
                case OK -> present ? List.of(without(op.target())) : List.of();
                case NOT_FOUND -> present ? List.of() : List.of(this);
                case REFUSED, CONFLICT -> List.of(this);
                default -> present ? List.of(without(op.target()), this) : List.of(this);
            };
        }
        UUID replayed = created.get(op.toolCallId());
        if (replayed != null) {
            return op.indeterminate() || (op.outcome() == Outcome.OK && replayed.equals(op.appointment()))
                    ? List.of(this) : List.of();
        }
        boolean taken = booked.values().stream().anyMatch(b -> b.overlaps(op));
        UUID id = op.outcome() == Outcome.OK ? op.appointment()
                : rowByCall.containsKey(op.toolCallId()) ? rowByCall.get(op.toolCallId()).id() : null;
        return switch (op.outcome()) {
            case OK -> taken ? List.of() : List.of(with(id, op));
            case CONFLICT -> taken ? List.of(this) : List.of();
            case NOT_FOUND, REFUSED -> List.of(this);
            default -> taken ? List.of() : List.of(with(id, op));
        };
    }

    boolean matches(List<BookingChecker.Row> rows) {
        var bookedRows = new HashSet<UUID>();
        rows.stream().filter(BookingChecker.Row::booked).forEach(row -> bookedRows.add(row.id()));
        return bookedRows.equals(booked.keySet());
    }

    String signature() {
        return new java.util.TreeSet<>(booked.keySet().stream().map(UUID::toString).toList()) + "/"
                + new java.util.TreeSet<>(created.keySet());
    }

    private ProviderModel with(UUID id, Op op) {
        var nextBooked = new HashMap<>(booked);
        nextBooked.put(id, op);
        var nextCreated = new HashMap<>(created);
        nextCreated.put(op.toolCallId(), id);
        return new ProviderModel(nextBooked, nextCreated);
    }

    private ProviderModel without(UUID id) {
        var nextBooked = new HashMap<>(booked);
        nextBooked.remove(id);
        return new ProviderModel(nextBooked, created);
    }
}
