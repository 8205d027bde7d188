package clinic.conformance.runner;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The 23 certified scenarios of SPEC §3: stable IDs and their names. */
public final class Catalogue {
    private static final Pattern ID = Pattern.compile("^((?:S|X)\\d+\\.\\d+)\\b");
    public static final Map<String, String> CORE = new LinkedHashMap<>();

    static {
        CORE.put("S1.1", "signup creates the org through the trigger");
        CORE.put("S1.2", "the password-grant token carries org_id from the hook and verifies");
        CORE.put("S1.3", "the profile links the auth user to the new org as admin");
        CORE.put("S1.4", "under that token, RLS shows own-org rows and none of another org, on every table");
        CORE.put("S2.1", "a booking succeeds under budget, is stored, reaches Google Calendar and is marked synced");
        CORE.put("S2.2", "an overlapping booking is refused with 409 in every arrangement and the first is unchanged");
        CORE.put("S2.3", "adjacent appointments both succeed");
        CORE.put("S2.4", "a Clinic B slot booked with a Clinic A token is refused with 403, creates nothing and is audited");
        CORE.put("S2.5", "concurrent requests for one slot: exactly one 200, the rest 409, one row");
        CORE.put("S2.6", "an unknown or another clinic's provider is 404");
        CORE.put("S2.7", "a missing or garbled Authorization header is 401 and creates nothing");
        CORE.put("S2.8", "every field of the request and the Vapi call and tool-call ids are stored and returned");
        CORE.put("S3.1", "an org's question retrieves its own documents");
        CORE.put("S3.2", "identical questions from two orgs never see each other's documents");
        CORE.put("S3.3", "similarity scores are present, in range, descending, and the relevant document scores highest");
        CORE.put("S3.4", "vector search is under budget on a realistic corpus");
        CORE.put("S3.5", "the LLM request carries the retrieved context and no foreign text; the answer is the LLM's");
        CORE.put("S4.1", "as user A against org B, SELECT sees nothing on every tenant table");
        CORE.put("S4.2", "INSERT with org B's org_id fails with 42501");
        CORE.put("S4.3", "UPDATE of org B's rows changes 0 rows");
        CORE.put("S4.4", "DELETE of org B's rows removes 0 rows");
        CORE.put("S4.5", "the API refuses tampered, re-signed, alg:none, expired and claim-less tokens");
        CORE.put("S4.6", "each refused attempt leaves an audit row that A cannot alter or delete");
    }

    private Catalogue() {
    }

    /** The scenario ID a display name begins with, or null. */
    public static String idOf(String displayName) {
        Matcher matcher = ID.matcher(displayName);
        return matcher.find() ? matcher.group(1) : null;
    }
}
