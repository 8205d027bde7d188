package clinic.conformance.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every scenario ID the harness knows, and its name: the one source of IDs (SPEC §3). A check names its ID with
 * {@code @AllureId}; a family ({@code X1}) is one parameterized or generated check whose cases are numbered
 * {@code X1.<n>} at the start of their names. Groups run and are reported in this order.
 */
public final class Catalogue {

    /** One catalogued ID. */
    public record Scenario(String id, String name, boolean extended, boolean family) {
        public String group() {
            return id.contains(".") ? id.substring(0, id.indexOf('.')) : id;
        }
    }

    public static final List<Scenario> ALL = List.of(
            core("S1.1", "signup creates the org through the trigger"),
            core("S1.2", "the password-grant token carries org_id from the hook and verifies"),
            core("S1.3", "the profile links the auth user to the new org as admin"),
            core("S1.4", "under that token, RLS shows own-org rows and none of another org, on every table"),
            core("S2.1", "a booking succeeds under budget, is stored, reaches Google Calendar and is marked synced"),
            core("S2.2", "an overlapping booking is refused as a conflict in every arrangement and the first is unchanged"),
            core("S2.3", "adjacent appointments both succeed"),
            core("S2.4", "a Clinic B slot booked with a Clinic A token is refused as forbidden, creates nothing and is audited"),
            core("S2.5", "concurrent requests for one slot: exactly one booking, the rest conflicts, one row"),
            core("S2.6", "an unknown or another clinic's provider is not found"),
            core("S2.7", "a missing or garbled Authorization header is 401 and creates nothing"),
            core("S2.8", "every field of the request and the Vapi call and tool-call ids are stored and returned"),
            core("S3.1", "an org's question retrieves its own documents"),
            core("S3.2", "identical questions from two orgs never see each other's documents"),
            core("S3.3", "similarity scores are present, in range, descending, and the relevant document scores highest"),
            core("S3.4", "vector search is under budget on a realistic corpus"),
            core("S3.5", "the LLM request carries the retrieved context and no foreign text; the answer is the LLM's"),
            core("S4.1", "as user A against org B, SELECT sees nothing on every tenant table"),
            core("S4.2", "INSERT with org B's org_id fails with 42501"),
            core("S4.3", "UPDATE of org B's rows changes 0 rows"),
            core("S4.4", "DELETE of org B's rows removes 0 rows"),
            core("S4.5", "the API refuses tampered, re-signed, alg:none, expired and claim-less tokens"),
            core("S4.6", "each refused attempt leaves an audit row that A cannot alter or delete"),
            family("X1", "token attacks (RFC 8725): each refused with 401, nothing created"),
            family("X2", "BOLA matrix: every documented operation with another org's ids"),
            extended("X3.1", "generated malformed Vapi messages: never a 5xx, always the JSON error, nothing stored"),
            extended("X3.2", "malformed bodies are refused cleanly"),
            extended("X3.3", "generated valid names full of quotes, injection text and Unicode are stored verbatim"),
            extended("X4.1", "every audit row chains to the previous row of its org"),
            extended("X4.2", "a row altered behind the API's back is pinpointed"),
            extended("X4.3", "a row deleted behind the API's back is pinpointed"),
            extended("X5.1", "a booking stands while Google answers 500, and is synced once Google recovers"),
            extended("X5.2", "a 429 with Retry-After is honoured before the next attempt"),
            extended("X5.3", "a 400 from Google is never retried, and the booking stands"),
            extended("X5.4", "Google's usage limits (403 usageLimits, 429, 503) are retried with backoff until synced"),
            extended("X5.5", "a 409 duplicate to an insert with the derived id means synced, never inserted again"),
            extended("X5.6", "a cancellation deletes the event from Google; 404 and 410 mean it is gone already"),
            extended("X5.7", "permanent refusals (403 forbiddenForNonOrganizer, insufficientPermissions; 412) are failed, never retried"),
            extended("X5.8", "a 401 invalid credentials is retried with fresh credentials until synced"),
            extended("X5.9", "a cancellation's delete is retried through transient answers; a permanent refusal is failed once"),
            extended("V1.1", "under the vapi profile, refusals are HTTP 200 with results[].error and error_code"),
            extended("V1.2", "several tool calls in one message are each answered, in order; nothing committed untold"),
            extended("V1.3", "result strings are single lines"),
            extended("V1.4", "1 MiB-class messages and every argument shape book"),
            extended("V1.5", "times are spoken in the caller's offset"),
            extended("V2.1", "the client-credentials grant as Vapi performs it gives a short-lived clinic token"),
            extended("V2.2", "a revoked credential gets no new token, and its tokens stop working within a minute"),
            extended("P1.1", "nothing of a tenant table is reachable with the anon role"),
            extended("P1.2", "no API role can TRUNCATE a tenant table, or hold REFERENCES or TRIGGER on one"),
            extended("P1.3", "no RLS bypass: forced RLS, no permissive policy, no definer view or row-returning definer function"),
            extended("P1.4", "a member cannot move a row of their own org into another org"),
            extended("P1.5", "a cancelled appointment frees its slot"),
            extended("P1.6", "a signed-out session cannot refresh"),
            extended("P2.1", "a member who rewrites their own metadata to name another clinic and role keeps their own"),
            extended("P2.2", "signing up with metadata that names an existing clinic never joins that clinic"),
            extended("P2.3", "only the service role places a user in a clinic; an invited address taken or switched to gains nothing"),
            extended("P2.4", "a genuine token whose user_metadata names another clinic is served as its org_id says"));

    private static final Map<String, Scenario> BY_ID = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(Scenario::id, Function.identity()));
    private static final Pattern CASE = Pattern.compile("^(\\d+)\\b");

    private Catalogue() {
    }

    public static Optional<Scenario> find(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    /** The 23 certified scenarios, in order. */
    public static List<Scenario> core() {
        return ALL.stream().filter(s -> !s.extended()).toList();
    }

    /** The position of a group (S1 … X5) in the run order; unknown groups last. */
    public static int groupOrder(String group) {
        var groups = ALL.stream().map(Scenario::group).distinct().toList();
        int index = groups.indexOf(group);
        return index < 0 ? groups.size() : index;
    }

    /**
     * The ID a check reports under: its annotated ID, or for a family the case number its name begins with.
     *
     * @throws UnknownId when the annotation is missing or names no catalogued ID, or a family's case is unnumbered
     */
    public static String idOf(Optional<String> annotated, String displayName) {
        Scenario scenario = annotated.map(BY_ID::get).orElseThrow(() -> new UnknownId(annotated.isEmpty()
                ? "carries no @AllureId scenario ID"
                : "names '" + annotated.get() + "', which is not a catalogued scenario ID"));
        if (!scenario.family()) {
            return scenario.id();
        }
        String prefix = scenario.id() + ".";
        var number = displayName.startsWith(prefix) ? CASE.matcher(displayName.substring(prefix.length())) : null;
        if (number == null || !number.find()) {
            throw new UnknownId("is a case of family " + scenario.id() + " but its name does not begin with " + prefix + "<n>");
        }
        return prefix + number.group(1);
    }

    /** The catalogued scenarios a selection reaches in a run with or without the extended series. */
    public static List<Scenario> selected(Selection selection, boolean extended) {
        var reached = new ArrayList<Scenario>();
        for (Scenario scenario : ALL) {
            if ((extended || !scenario.extended()) && selection.reaches(scenario)) {
                reached.add(scenario);
            }
        }
        return reached;
    }

    private static Scenario core(String id, String name) {
        return new Scenario(id, name, false, false);
    }

    private static Scenario extended(String id, String name) {
        return new Scenario(id, name, true, false);
    }

    private static Scenario family(String id, String name) {
        return new Scenario(id, name, true, true);
    }

    /** A check whose ID the catalogue does not know: the harness is broken, not the target. */
    public static final class UnknownId extends RuntimeException {
        public UnknownId(String message) {
            super(message);
        }
    }
}
