package clinic.conformance.scenarios.history;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * One provider's history as a picture: a row per operation, a bar from invocation to completion (to the end of the run
 * when the caller gave up), coloured by what the caller heard, labelled with the slot it asked for.
 */
final class Timeline {
    private static final int ROW = 16;
    private static final int WIDTH = 900;
    private static final int LABEL = 260;

    private Timeline() {
    }

    static String svg(UUID provider, List<Op> ops) {
        var rows = ops.stream().sorted(Comparator.comparingLong(Op::invoke)).toList();
        long end = rows.stream().mapToLong(op -> op.complete() == Long.MAX_VALUE ? op.invoke() : op.complete()).max().orElse(1) + 1;
        double scale = (WIDTH - LABEL - 10) / (double) end;
        var svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"monospace\" font-size=\"11\">"
                        + "<text x=\"4\" y=\"12\">provider %s: %d operations (green ok, orange conflict, grey not found, red error, "
                        + "purple unknown)</text>", WIDTH, (rows.size() + 2) * ROW, provider, rows.size()));
        for (int i = 0; i < rows.size(); i++) {
            Op op = rows.get(i);
            int y = (i + 1) * ROW + 4;
            long complete = op.complete() == Long.MAX_VALUE ? end : op.complete();
            String slot = op.booking() ? op.kind().name().toLowerCase(Locale.ROOT) + " " + op.start().toLocalTime() + "+"
                    + op.minutes() : "cancel " + String.valueOf(op.target()).substring(0, 8);
            svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\">#%d %s</text><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
                            + "height=\"%d\" fill=\"%s\"/>", y + 10, op.index(), slot, LABEL + op.invoke() * scale, y,
                    Math.max(2, (complete - op.invoke()) * scale), ROW - 4, colour(op.outcome())));
        }
        return svg.append("</svg>").toString();
    }

    private static String colour(Op.Outcome outcome) {
        return switch (outcome) {
            case OK -> "#2e8b57";
            case CONFLICT -> "#e69500";
            case NOT_FOUND, REFUSED -> "#999999";
            case ERROR -> "#c62828";
            case UNKNOWN -> "#7b1fa2";
        };
    }
}
