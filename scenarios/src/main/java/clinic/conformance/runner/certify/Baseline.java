package clinic.conformance.runner.certify;

import clinic.conformance.runner.cli.CannotRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Known failures, as the OpenID certification scripts and Schemathesis keep them: one scenario ID and its reason per
 * line ({@code S2.1 Google sandbox not wired on staging}), {@code #} comments. A listed failure is reported but does not
 * fail the gate; a listed scenario that passes is flagged so the baseline shrinks; an unlisted failure fails the gate.
 */
public record Baseline(Map<String, String> reasons) {
    public static final Baseline NONE = new Baseline(Map.of());

    public static Baseline read(Path file) {
        var reasons = new LinkedHashMap<String, String>();
        try {
            int number = 0;
            for (String line : Files.readAllLines(file)) {
                number++;
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                String[] parts = text.split("\\s+", 2);
                if (!knownId(parts[0]) || parts.length < 2 || parts[1].isBlank()) {
                    throw new CannotRun("baseline " + file + " line " + number
                            + ": expected '<scenario ID> <reason>', got '" + text + "'");
                }
                reasons.put(parts[0], parts[1].strip());
            }
        } catch (IOException e) {
            throw new CannotRun("cannot read the baseline file " + file + " (" + e.getClass().getSimpleName()
                    + "); correct --baseline");
        }
        return new Baseline(reasons);
    }

    private static boolean knownId(String id) {
        return Catalogue.find(id).isPresent()
                || id.contains(".") && Catalogue.find(id.substring(0, id.indexOf('.'))).filter(Catalogue.Scenario::family).isPresent();
    }

    public boolean lists(String id) {
        return reasons.containsKey(id);
    }
}
