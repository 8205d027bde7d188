package clinic.conformance.server.config;

import clinic.conformance.server.auth.SigningKey;
import clinic.conformance.server.auth.VerificationKeys;
import clinic.conformance.server.gateway.ApiKeys;
import clinic.conformance.server.vapi.credentials.VapiAuthentication;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Everything the reference server reads from its environment; see the README's configuration table. */
public record ServerConfig(
        int port,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        int databasePoolSize,
        String jwtSecret,
        String jwtSecretSource,
        String jwtSigningKey,
        URI jwksUrl,
        URI googleCalendarBaseUrl,
        String googleCalendarId,
        GoogleAuth googleAuth,
        Duration calendarSyncBudget,
        Duration calendarHttpTimeout,
        Duration calendarRetryBase,
        Duration calendarRetryMax,
        Duration calendarPollInterval,
        AuthSettings auth,
        RagSettings rag,
        VapiSettings vapi) {

    /**
     * What Vapi needs (contract §1 v2): refusals as HTTP statuses (the seed's profile) or always 200 with
     * {@code results} (the {@code vapi} profile, the default), the largest tool-calls message accepted, and the most
     * tool calls one message may carry (0: no cap), and whether a JSON body that repeats a member name is refused (400)
     * or read with the last value — contract §1 v3 leaves both to the target.
     */
    public record VapiSettings(boolean refusalsAsStatus, int maxMessageBytes, int maxToolCalls,
                               boolean refuseDuplicateKeys, VapiAuthentication.Settings authentication) {
    }

    /** Where embeddings and answers come from (contract §1 Smart answer). */
    public record RagSettings(String embeddingsProvider, URI embeddingsBaseUrl, String embeddingsModel,
                              String embeddingsApiKey, URI llmBaseUrl, String llmModel, String llmApiKey,
                              Duration llmTimeout, int chunkChars) {
        @Override
        public String toString() {
            return "RagSettings[embeddings=" + embeddingsProvider + ", llm=" + llmBaseUrl + " " + llmModel + "]";
        }
    }

    /**
     * How the server authenticates to Google Calendar: a fixed bearer token ({@code GOOGLE_CALENDAR_TOKEN}), or, where
     * a refresh token is set, access tokens from Google's token endpoint that are renewed when Google answers 401.
     */
    public record GoogleAuth(String token, URI tokenUrl, String clientId, String clientSecret, String refreshToken) {
        public boolean refreshes() {
            return refreshToken != null;
        }

        @Override
        public String toString() {
            return refreshes() ? "GoogleAuth[refresh token at " + tokenUrl + "]" : "GoogleAuth[fixed token]";
        }
    }

    /** Supabase Auth's knobs that the reference server honours. */
    public record AuthSettings(Duration accessTokenLifetime, int passwordMinLength, int maxFailuresPerEmail,
                               int maxFailuresPerAddress, Duration failureWindow, boolean emailConfirmation,
                               boolean auditRefusedTokens, Duration refreshReuseInterval, ApiKeys apiKeys) {
    }

    public static final String PORT = "PORT";
    public static final String DATABASE_URL = "DATABASE_URL";
    public static final String DATABASE_USER = "DATABASE_USER";
    public static final String DATABASE_PASSWORD = "DATABASE_PASSWORD";
    public static final String DATABASE_POOL_SIZE = "DATABASE_POOL_SIZE";
    public static final String JWT_SECRET = "JWT_SECRET";
    public static final String JWT_SIGNING_KEY = "JWT_SIGNING_KEY";
    public static final String JWKS_URL = "JWKS_URL";
    public static final String AUTH_EMAIL_CONFIRMATION = "AUTH_EMAIL_CONFIRMATION";
    public static final String AUTH_REFRESH_REUSE_INTERVAL_SECONDS = "AUTH_REFRESH_REUSE_INTERVAL_SECONDS";
    /** The project's new-style API keys, under the names Supabase's self-hosted setup uses. */
    public static final String SUPABASE_SECRET_KEY = "SUPABASE_SECRET_KEY";
    public static final String SUPABASE_PUBLISHABLE_KEY = "SUPABASE_PUBLISHABLE_KEY";
    public static final String GOOGLE_OAUTH_TOKEN_URL = "GOOGLE_OAUTH_TOKEN_URL";
    public static final String GOOGLE_OAUTH_CLIENT_ID = "GOOGLE_OAUTH_CLIENT_ID";
    public static final String GOOGLE_OAUTH_CLIENT_SECRET = "GOOGLE_OAUTH_CLIENT_SECRET";
    public static final String GOOGLE_OAUTH_REFRESH_TOKEN = "GOOGLE_OAUTH_REFRESH_TOKEN";
    public static final String GOOGLE_CALENDAR_BASE_URL = "GOOGLE_CALENDAR_BASE_URL";
    public static final String GOOGLE_CALENDAR_ID = "GOOGLE_CALENDAR_ID";
    public static final String GOOGLE_CALENDAR_TOKEN = "GOOGLE_CALENDAR_TOKEN";
    public static final String CALENDAR_SYNC_BUDGET_MS = "CALENDAR_SYNC_BUDGET_MS";
    public static final String CALENDAR_HTTP_TIMEOUT_MS = "CALENDAR_HTTP_TIMEOUT_MS";
    public static final String CALENDAR_RETRY_BASE_MS = "CALENDAR_RETRY_BASE_MS";
    public static final String CALENDAR_RETRY_MAX_MS = "CALENDAR_RETRY_MAX_MS";
    public static final String CALENDAR_POLL_MS = "CALENDAR_POLL_MS";
    public static final String AUTH_JWT_EXPIRY_SECONDS = "AUTH_JWT_EXPIRY_SECONDS";
    public static final String AUTH_PASSWORD_MIN_LENGTH = "AUTH_PASSWORD_MIN_LENGTH";
    public static final String AUTH_MAX_FAILURES_PER_EMAIL = "AUTH_MAX_FAILURES_PER_EMAIL";
    public static final String AUTH_MAX_FAILURES_PER_ADDRESS = "AUTH_MAX_FAILURES_PER_ADDRESS";
    public static final String AUTH_FAILURE_WINDOW_SECONDS = "AUTH_FAILURE_WINDOW_SECONDS";
    public static final String EMBEDDINGS_PROVIDER = "EMBEDDINGS_PROVIDER";
    public static final String EMBEDDINGS_BASE_URL = "EMBEDDINGS_BASE_URL";
    public static final String EMBEDDINGS_MODEL = "EMBEDDINGS_MODEL";
    public static final String EMBEDDINGS_API_KEY = "EMBEDDINGS_API_KEY";
    public static final String LLM_BASE_URL = "LLM_BASE_URL";
    public static final String LLM_MODEL = "LLM_MODEL";
    public static final String LLM_API_KEY = "LLM_API_KEY";
    public static final String LLM_TIMEOUT_MS = "LLM_TIMEOUT_MS";
    public static final String CHUNK_CHARS = "CHUNK_CHARS";
    public static final String VAPI_REFUSALS = "VAPI_REFUSALS";
    public static final String VAPI_MAX_MESSAGE_BYTES = "VAPI_MAX_MESSAGE_BYTES";
    public static final String VAPI_MAX_TOOL_CALLS = "VAPI_MAX_TOOL_CALLS";
    public static final String AUDIT_REFUSED_TOKENS = "AUDIT_REFUSED_TOKENS";
    public static final String JSON_DUPLICATE_KEYS = "JSON_DUPLICATE_KEYS";
    public static final String VAPI_BEARER_HEADER = "VAPI_BEARER_HEADER";
    public static final String VAPI_BEARER_PREFIX = "VAPI_BEARER_PREFIX";
    public static final String VAPI_HMAC_SIGNATURE_HEADER = "VAPI_HMAC_SIGNATURE_HEADER";
    public static final String VAPI_HMAC_TIMESTAMP_HEADER = "VAPI_HMAC_TIMESTAMP_HEADER";
    public static final String VAPI_HMAC_ALGORITHM = "VAPI_HMAC_ALGORITHM";
    public static final String VAPI_HMAC_ENCODING = "VAPI_HMAC_ENCODING";
    public static final String VAPI_HMAC_PREFIX = "VAPI_HMAC_PREFIX";
    public static final String VAPI_HMAC_PAYLOAD = "VAPI_HMAC_PAYLOAD";
    public static final String VAPI_HMAC_WINDOW_SECONDS = "VAPI_HMAC_WINDOW_SECONDS";

    /** Every environment variable the server reads. */
    public static final java.util.Set<String> NAMES = java.util.Set.of(
            PORT, DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, DATABASE_POOL_SIZE, JWT_SECRET, JWT_SIGNING_KEY,
            JWKS_URL, AUTH_EMAIL_CONFIRMATION, AUTH_REFRESH_REUSE_INTERVAL_SECONDS, SUPABASE_SECRET_KEY,
            SUPABASE_PUBLISHABLE_KEY,
            GOOGLE_CALENDAR_BASE_URL, GOOGLE_CALENDAR_ID, GOOGLE_CALENDAR_TOKEN, GOOGLE_OAUTH_TOKEN_URL,
            GOOGLE_OAUTH_CLIENT_ID, GOOGLE_OAUTH_CLIENT_SECRET, GOOGLE_OAUTH_REFRESH_TOKEN, CALENDAR_SYNC_BUDGET_MS,
            CALENDAR_HTTP_TIMEOUT_MS, CALENDAR_RETRY_BASE_MS, CALENDAR_RETRY_MAX_MS, CALENDAR_POLL_MS,
            AUTH_JWT_EXPIRY_SECONDS, AUTH_PASSWORD_MIN_LENGTH, AUTH_MAX_FAILURES_PER_EMAIL,
            AUTH_MAX_FAILURES_PER_ADDRESS, AUTH_FAILURE_WINDOW_SECONDS, EMBEDDINGS_PROVIDER, EMBEDDINGS_BASE_URL,
            EMBEDDINGS_MODEL, EMBEDDINGS_API_KEY, LLM_BASE_URL, LLM_MODEL, LLM_API_KEY, LLM_TIMEOUT_MS, CHUNK_CHARS,
            VAPI_REFUSALS, VAPI_MAX_MESSAGE_BYTES, VAPI_MAX_TOOL_CALLS, AUDIT_REFUSED_TOKENS,
            JSON_DUPLICATE_KEYS, VAPI_BEARER_HEADER, VAPI_BEARER_PREFIX, VAPI_HMAC_SIGNATURE_HEADER,
            VAPI_HMAC_TIMESTAMP_HEADER, VAPI_HMAC_ALGORITHM, VAPI_HMAC_ENCODING, VAPI_HMAC_PREFIX, VAPI_HMAC_PAYLOAD,
            VAPI_HMAC_WINDOW_SECONDS);

    /** The smallest HS256 key RFC 7518 allows: 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;

    public ServerConfig {
        if (databaseUrl == null || databaseUrl.isBlank()) {
            throw new IllegalArgumentException(DATABASE_URL + " is required (a jdbc:postgresql:// or postgresql:// URL)");
        }
        if (jwtSigningKey == null && jwtSecret == null) {
            throw new IllegalArgumentException(JWT_SIGNING_KEY + " (a private JWK, ES256) or the legacy " + JWT_SECRET
                    + " (HS256) is required");
        }
        if (jwtSecret != null && jwtSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(JWT_SECRET + " must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        if (jwtSigningKey != null) {
            SigningKey.fromJwk(jwtSigningKey);
        }
    }

    /** What the GoTrue subset signs with: the private JWK where one is set, else the legacy secret. */
    public SigningKey signingKey() {
        return jwtSigningKey != null ? SigningKey.fromJwk(jwtSigningKey) : SigningKey.legacy(jwtSecret);
    }

    /**
     * What tokens are verified with: the JWKS at {@code JWKS_URL} where set (a hosted project's), else this server's
     * own public key; HS256 only while the legacy secret is set.
     */
    public VerificationKeys verificationKeys(SigningKey signing) {
        var legacy = Optional.ofNullable(jwtSecret);
        return jwksUrl != null ? VerificationKeys.remote(jwksUrl, legacy) : VerificationKeys.local(signing, legacy);
    }

    public static ServerConfig fromEnv() {
        return fromMap(System.getenv());
    }

    /** The server's variables ({@link #NAMES}) this process's environment sets, blank ones left out. */
    public static Map<String, String> environment() {
        var set = new java.util.HashMap<String, String>();
        System.getenv().forEach((name, value) -> {
            if (NAMES.contains(name) && !value.isBlank()) {
                set.put(name, value);
            }
        });
        return set;
    }

    public static ServerConfig fromMap(Map<String, String> env) {
        var values = new EnvironmentValues(env);
        return new ServerConfig(
                values.integer(PORT, 8080),
                values.text(DATABASE_URL, null),
                values.text(DATABASE_USER, null),
                values.text(DATABASE_PASSWORD, null),
                values.integer(DATABASE_POOL_SIZE, 10),
                values.text(JWT_SECRET, null),
                "environment variable " + JWT_SECRET,
                values.text(JWT_SIGNING_KEY, null),
                Optional.ofNullable(values.text(JWKS_URL, null)).map(URI::create).orElse(null),
                URI.create(values.text(GOOGLE_CALENDAR_BASE_URL, "https://www.googleapis.com")),
                values.text(GOOGLE_CALENDAR_ID, "primary"),
                new GoogleAuth(values.text(GOOGLE_CALENDAR_TOKEN, ""),
                        URI.create(values.text(GOOGLE_OAUTH_TOKEN_URL, "https://oauth2.googleapis.com/token")),
                        values.text(GOOGLE_OAUTH_CLIENT_ID, ""), values.text(GOOGLE_OAUTH_CLIENT_SECRET, ""),
                        values.text(GOOGLE_OAUTH_REFRESH_TOKEN, null)),
                values.millis(CALENDAR_SYNC_BUDGET_MS, 300),
                values.millis(CALENDAR_HTTP_TIMEOUT_MS, 5_000),
                values.millis(CALENDAR_RETRY_BASE_MS, 1_000),
                values.millis(CALENDAR_RETRY_MAX_MS, 300_000),
                values.millis(CALENDAR_POLL_MS, 250),
                new AuthSettings(
                        Duration.ofSeconds(values.integer(AUTH_JWT_EXPIRY_SECONDS, 3600)),
                        values.integer(AUTH_PASSWORD_MIN_LENGTH, 6),
                        values.integer(AUTH_MAX_FAILURES_PER_EMAIL, 5),
                        values.integer(AUTH_MAX_FAILURES_PER_ADDRESS, 30),
                        Duration.ofSeconds(values.integer(AUTH_FAILURE_WINDOW_SECONDS, 900)),
                        values.flag(AUTH_EMAIL_CONFIRMATION, false),
                        values.flag(AUDIT_REFUSED_TOKENS, true),
                        Duration.ofSeconds(values.integer(AUTH_REFRESH_REUSE_INTERVAL_SECONDS, 10)),
                        new ApiKeys(Optional.ofNullable(values.text(SUPABASE_SECRET_KEY, null)),
                                Optional.ofNullable(values.text(SUPABASE_PUBLISHABLE_KEY, null)))),
                new RagSettings(
                        values.text(EMBEDDINGS_PROVIDER, "local"),
                        URI.create(values.text(EMBEDDINGS_BASE_URL, "https://api.openai.com/v1")),
                        values.text(EMBEDDINGS_MODEL, "text-embedding-3-small"),
                        values.text(EMBEDDINGS_API_KEY, ""),
                        URI.create(values.text(LLM_BASE_URL, "https://api.openai.com/v1")),
                        values.text(LLM_MODEL, "gpt-4o-mini"),
                        values.text(LLM_API_KEY, ""),
                        values.millis(LLM_TIMEOUT_MS, 10_000),
                        values.integer(CHUNK_CHARS, 800)),
                new VapiSettings(refusalsAsStatus(values.text(VAPI_REFUSALS, "results")),
                        values.integer(VAPI_MAX_MESSAGE_BYTES, 1024 * 1024),
                        values.integer(VAPI_MAX_TOOL_CALLS, 10),
                        duplicateKeysRefused(values.text(JSON_DUPLICATE_KEYS, "refuse")),
                        new VapiAuthentication.Settings(values.text(VAPI_BEARER_HEADER, "Authorization"),
                                values.flag(VAPI_BEARER_PREFIX, true),
                                VapiAuthentication.plan(values.text(VAPI_HMAC_SIGNATURE_HEADER, "x-signature"),
                                        values.text(VAPI_HMAC_TIMESTAMP_HEADER, "x-timestamp"),
                                        values.text(VAPI_HMAC_ALGORITHM, "sha256"), values.text(VAPI_HMAC_ENCODING, "hex"),
                                        values.text(VAPI_HMAC_PREFIX, ""),
                                        values.text(VAPI_HMAC_PAYLOAD, "{timestamp}.{body}"),
                                        Duration.ofSeconds(values.integer(VAPI_HMAC_WINDOW_SECONDS, 300))))));
    }

    private static boolean refusalsAsStatus(String value) {
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "status" -> true;
            case "results" -> false;
            default -> throw new IllegalArgumentException(VAPI_REFUSALS + " is 'results' (Vapi reads only HTTP 200) or "
                    + "'status' (the seed's statuses), got '" + value + "'");
        };
    }

    private static boolean duplicateKeysRefused(String value) {
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "refuse" -> true;
            case "last" -> false;
            default -> throw new IllegalArgumentException(JSON_DUPLICATE_KEYS + " is 'refuse' (400 for a repeated member "
                    + "name) or 'last' (the last value is read), got '" + value + "'");
        };
    }

    @Override
    public String toString() {
        return "ServerConfig[port=" + port + ", database=" + redacted(databaseUrl) + ", jwtSecret=<"
                + (jwtSecret == null ? "none" : jwtSecretSource) + ">, signingKey=<" + (jwtSigningKey == null ? "none" : "set")
                + ">, jwks=" + (jwksUrl == null ? "own" : jwksUrl) + ", googleCalendar=" + googleCalendarBaseUrl + "]";
    }

    /** A database URL fit for a log line: the password of either URL form replaced by {@code ***}. */
    public static String redacted(String databaseUrl) {
        return databaseUrl.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("(://[^:/@]*:)[^@/]*@", "$1***@");
    }
}
