package clinic.conformance.runner.certify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every scenario ID the harness knows, and its name: the one source of IDs (contract §3). A check names its ID with
 * {@code @AllureId}; a family ({@code X1}) is one parameterized or generated check whose cases are numbered
 * {@code X1.<n>} at the start of their names. Groups run and are reported in this order.
 */
public final class Catalogue {
    /** The version of docs/contract.md these IDs certify against. */
    public static final String CONTRACT_VERSION = "v4";

    /**
     * One catalogued ID: its name, and the contract section it enforces (for the extended series, with the attack or
     * failure it prevents) — shown in the report beside every check and listed in docs/scenarios.md.
     */
    public record Scenario(String id, String name, String contract, boolean extended, boolean family) {
        public String group() {
            return id.contains(".") ? id.substring(0, id.indexOf('.')) : id;
        }
    }

    public static final List<Scenario> ALL = List.of(
            core("S1.1", "signup creates the org through the trigger",
                    "§1 Identity; §2 the trigger on auth.users"),
            core("S1.2", "the password-grant token carries org_id from the hook and verifies",
                    "§1 Identity (the hook, the password grant)"),
            core("S1.3", "the profile links the auth user to the new org as admin",
                    "§2 profiles and the trigger on auth.users"),
            core("S1.4", "under that token, RLS shows own-org rows and none of another org, on every table",
                    "§2 Row Level Security"),
            core("S2.1", "a booking succeeds under budget, is stored, reaches Google Calendar and is marked synced",
                    "§1 book_appointment; §1 Google Calendar; §4"),
            core("S2.2", "an overlapping booking is refused as a conflict in every arrangement and the first is unchanged",
                    "§1 book_appointment (no double booking)"),
            core("S2.3", "adjacent appointments both succeed",
                    "§1 book_appointment (half-open slots)"),
            core("S2.4", "a Clinic B slot booked with a Clinic A token is refused as forbidden, creates nothing and is audited",
                    "§1 book_appointment (403, audited); §2 audit_log"),
            core("S2.5", "concurrent requests for one slot: exactly one booking, the rest conflicts, one row",
                    "§1 book_appointment (no double booking under concurrency; replays)"),
            core("S2.6", "an unknown or another clinic's provider is not found",
                    "§1 book_appointment (provider_not_found)"),
            core("S2.7", "a missing or garbled Authorization header is 401 and creates nothing",
                    "§1 Authentication"),
            core("S2.8", "every field of the request and the Vapi call and tool-call ids are stored and returned",
                    "§1 book_appointment; §2 columns"),
            core("S3.1", "an org's question retrieves its own documents",
                    "§1 Smart answer"),
            core("S3.2", "identical questions from two orgs never see each other's documents",
                    "§1 Smart answer; §2 Row Level Security"),
            core("S3.3", "similarity scores are present, in range, descending, and the relevant document scores highest",
                    "§1 Smart answer"),
            core("S3.4", "vector search is under budget on a realistic corpus",
                    "§4 Latency budgets"),
            core("S3.5", "the LLM request carries the retrieved context and no foreign text; the answer is the LLM's",
                    "§1 Smart answer (the prompt)"),
            core("S4.1", "as user A against org B, SELECT sees nothing on every tenant table",
                    "§2 Row Level Security"),
            core("S4.2", "INSERT with org B's org_id fails with 42501",
                    "§2 Row Level Security"),
            core("S4.3", "UPDATE of org B's rows changes 0 rows",
                    "§2 Row Level Security"),
            core("S4.4", "DELETE of org B's rows removes 0 rows",
                    "§2 Row Level Security"),
            core("S4.5", "the API refuses tampered, re-signed, alg:none, expired and claim-less tokens",
                    "§1 Authentication"),
            core("S4.6", "each refused attempt leaves an audit row that A cannot alter or delete",
                    "§2 audit_log"),
            family("X1", "token attacks (RFC 8725): each refused with 401, nothing created",
                    "§1 Authentication: RFC 8725 — a token the target did not issue for this use never authenticates"),
            family("X2", "BOLA matrix: every documented operation with another org's ids",
                    "§1 Errors; §2 Row Level Security: another org's id reads, changes and reveals nothing (OWASP API1 BOLA)"),
            extended("X3.1", "generated malformed Vapi messages: never a 5xx, always the JSON error, nothing stored",
                    "§1 Errors; §1 POST /api/vapi/tools (v3 what is left open): a client's mistake is never a 5xx and stores nothing"),
            extended("X3.2", "malformed bodies are refused cleanly",
                    "§1 Errors; §1 POST /api/vapi/tools (v3 what is left open): parsers that disagree must not move data between orgs"),
            extended("X3.3", "generated valid names full of quotes, injection text and Unicode are stored verbatim",
                    "§1 book_appointment: text is data, stored verbatim, never code"),
            extended("X4.1", "every audit row chains to the previous row of its org",
                    "§2 audit_log (v3 chain): an audit log that cannot show tampering proves nothing"),
            extended("X4.2", "a row altered behind the API's back is pinpointed",
                    "§2 audit_log (v3 chain): an altered row is pinpointed"),
            extended("X4.3", "a row deleted behind the API's back is pinpointed",
                    "§2 audit_log (v3 chain): a removed row is pinpointed"),
            extended("X5.1", "a booking stands while Google answers 500, and is synced once Google recovers",
                    "§1 Google Calendar: a booking is never lost or rolled back because Google failed"),
            extended("X5.2", "a 429 with Retry-After is honoured before the next attempt",
                    "§1 Google Calendar: Retry-After honoured"),
            extended("X5.3", "a 400 from Google is never retried, and the booking stands",
                    "§1 Google Calendar: a permanent refusal is never retried"),
            extended("X5.4", "Google's usage limits (403 usageLimits, 429, 503) are retried with backoff until synced",
                    "§1 Google's documented answers: usage limits are waited out, not given up on"),
            extended("X5.5", "a 409 duplicate to an insert with the derived id means synced, never inserted again",
                    "§1 Google's documented answers: 409 duplicate means synced"),
            extended("X5.6", "a cancellation deletes the event from Google; 404 and 410 mean it is gone already",
                    "§1 Google Calendar (v3 cancellation): a cancelled booking leaves no event; gone means deleted"),
            extended("X5.7", "permanent refusals (403 forbiddenForNonOrganizer, insufficientPermissions; 412) are failed, never retried",
                    "§1 Google's documented answers: permanent refusals fail once, without a retry storm"),
            extended("X5.8", "a 401 invalid credentials is retried with fresh credentials until synced",
                    "§1 Google's documented answers: an expired token is refreshed, not fatal"),
            extended("X5.9", "a cancellation's delete is retried through transient answers; a permanent refusal is failed once",
                    "§1 Google Calendar (v3 cancellation): a delete meets Google's answers as an insert does"),
            extended("X6.1", "a concurrent clinic line with faults leaves a history a correct backend explains",
                    "§1 book_appointment: no double booking, nothing confirmed lost, replays answered once, under any interleaving"),
            extended("V1.1", "under the vapi profile, refusals are HTTP 200 with results[].error and error_code",
                    "§1 POST /api/vapi/tools (v2 what Vapi reads, profiles): Vapi ignores every status but 200"),
            extended("V1.2", "several tool calls in one message are each answered, in order; nothing committed untold",
                    "§1 POST /api/vapi/tools (v2 several tool calls): nothing committed untold"),
            extended("V1.3", "result strings are single lines",
                    "§1 POST /api/vapi/tools (v2 what Vapi reads): single-line strings"),
            extended("V1.4", "1 MiB-class messages and every argument shape book",
                    "§1 POST /api/vapi/tools (v2 size, argument shapes)"),
            extended("V1.5", "times are spoken in the caller's offset",
                    "§1 POST /api/vapi/tools (v2 what Vapi reads): times in the caller's offset"),
            extended("V1.6", "with Google hanging, a booking is answered within Vapi's tool timeout",
                    "§1 POST /api/vapi/tools (v3): Vapi gives up on a tool call after timeoutSeconds (20 s) and the caller hears nothing"),
            extended("V2.1", "the client-credentials grant as Vapi performs it gives a short-lived clinic token",
                    "§1 Authentication (v2 Vapi's own credential)"),
            extended("V2.2", "a revoked credential gets no new token, and its tokens stop working within a minute",
                    "§1 Authentication (v2 Vapi's own credential): revocation"),
            extended("V3.1", "a message signed as Vapi signs it books, and its replay is refused",
                    "§1 Authentication (v3 Vapi's HMAC credential): a captured request must not book twice"),
            extended("V3.2", "a missing, malformed, foreign-key or foreign-algorithm signature is refused",
                    "§1 Authentication (v3 Vapi's HMAC credential): only the clinic's key signs for it"),
            extended("V3.3", "a signature whose timestamp is ten minutes old or ahead is refused",
                    "§1 Authentication (v3 Vapi's HMAC credential): a timestamp window bounds replays"),
            extended("V3.4", "a body changed after signing (one byte, whitespace, key order) is refused",
                    "§1 Authentication (v3 Vapi's HMAC credential): the raw body is signed, before any parsing"),
            extended("V3.5", "a signature made for another timestamp is refused",
                    "§1 Authentication (v3 Vapi's HMAC credential): the timestamp is part of what is signed"),
            extended("P1.1", "nothing of a tenant table is reachable with the anon role",
                    "§2 (v2 the real Supabase platform): the anon key ships in every browser"),
            extended("P1.2", "no API role can TRUNCATE a tenant table, or hold REFERENCES or TRIGGER on one",
                    "§2 (v2 the real Supabase platform): RLS does not stop TRUNCATE"),
            extended("P1.3", "no RLS bypass: forced RLS, no permissive policy, no definer view or row-returning definer function",
                    "§2 (v2 the real Supabase platform): the bypass classes of Supabase's database linter"),
            extended("P1.4", "a member cannot move a row of their own org into another org",
                    "§2 Row Level Security (with check on UPDATE)"),
            extended("P1.5", "a cancelled appointment frees its slot",
                    "§1 book_appointment (only booked rows hold a slot)"),
            extended("P1.6", "a signed-out session cannot refresh",
                    "§1 Identity (v2 logout): a signed-out session is dead"),
            extended("P1.7", "the gateway takes a new-style key only in apikey: none, a foreign Bearer key, or the secret key from a browser gets nothing",
                    "§1 Identity (v4 the 2026 platform): API keys"),
            extended("P1.8", "a signed-out session's access token gets no user from the auth API, in every scope of /logout",
                    "§1 Identity (v4 the 2026 platform): sessions that die"),
            extended("P1.9", "a refresh token reused after the reuse interval is refused and ends its session",
                    "§1 Identity (v4 the 2026 platform): refresh-token reuse"),
            extended("P2.1", "a member who rewrites their own metadata to name another clinic and role keeps their own",
                    "§1 Identity (v3 whose metadata is whose): user_metadata is the user's own"),
            extended("P2.2", "signing up with metadata that names an existing clinic never joins that clinic",
                    "§1 Identity (v3 whose metadata is whose): sign-up data names no org"),
            extended("P2.3", "only the service role places a user in a clinic; an invited address taken or switched to gains nothing",
                    "§1 Identity (v3 whose metadata is whose): only the service role invites"),
            extended("P2.4", "a genuine token whose user_metadata names another clinic is served as its org_id says",
                    "§1 Identity (v3 whose metadata is whose); §2 Row Level Security"),
            extended("P3.1", "every published relation, with every command granted to anon: no tenant row reached",
                    "§2 (v3 the whole surface): the anon key ships in every browser, and PostgREST publishes all it may"),
            extended("P3.2", "every published tenant relation, as a member of A with every command granted: none of B's rows reached",
                    "§2 (v3 the whole surface): one permissive policy beside the org's undoes it (policies are OR-ed)"),
            extended("P3.3", "every function an API role may execute: no definer off the allow-list, nothing of B returned or changed",
                    "§2 (v3 the whole surface): a SECURITY DEFINER function runs past RLS with its owner's rights"),
            extended("P3.4", "the token boundary just past the 30 s leeway, for members' and Vapi credentials' tokens",
                    "§1 Authentication: at most 30 s of leeway on exp and nbf"));

    private static final Map<String, Scenario> BY_ID = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(Scenario::id, Function.identity()));
    private static final Pattern CASE = Pattern.compile("^(\\d+)\\b");

    private Catalogue() {
    }

    public static Optional<Scenario> find(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    /** The contract section an ID enforces; a family's case (X1.3) enforces its family's. */
    public static Optional<String> contractOf(String id) {
        return find(id).or(() -> id.lastIndexOf('.') > 0 ? find(id.substring(0, id.lastIndexOf('.'))) : Optional.empty())
                .map(Scenario::contract);
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

    private static Scenario core(String id, String name, String contract) {
        return new Scenario(id, name, contract, false, false);
    }

    private static Scenario extended(String id, String name, String contract) {
        return new Scenario(id, name, contract, true, false);
    }

    private static Scenario family(String id, String name, String contract) {
        return new Scenario(id, name, contract, true, true);
    }

    /** A check whose ID the catalogue does not know: the harness is broken, not the target. */
    public static final class UnknownId extends RuntimeException {
        public UnknownId(String message) {
            super(message);
        }
    }
}
