package clinic.conformance.server.gateway;

import clinic.conformance.server.auth.SigningKey;
import clinic.conformance.server.auth.TokenVerifier;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Supabase's API gateway in front of {@code /auth/v1} (contract §1 Identity, v4), as a hosted project runs it: every
 * request names an API key in {@code apikey} (header or query). A new-style key must be one of the project's; the
 * secret key is refused from a browser; a legacy JWT key only while the project keeps its legacy secret. Without an
 * {@code Authorization} header, Auth sees a short-lived JWT of the key's role; a Bearer that is not a JWT must be the
 * same value as {@code apikey}; a Bearer JWT goes on to Auth, which verifies it. What Auth sees is
 * {@link #authorization(Context)}. A server without new-style keys has no gateway (Auth reached directly).
 */
public final class ApiGateway {
    private static final String SEEN = "gateway.authorization";
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    /** User agents of browsers, as the platform tells them: every browser's begins with {@code Mozilla/}. */
    private static final Pattern BROWSER = Pattern.compile("^Mozilla/\\d");
    private static final Duration MINTED_FOR = Duration.ofMinutes(5);
    private final ApiKeys keys;
    private final SigningKey signing;
    private final TokenVerifier tokens;
    private final boolean legacyKeys;

    public ApiGateway(ApiKeys keys, SigningKey signing, TokenVerifier tokens, boolean legacyKeys) {
        this.keys = keys;
        this.signing = signing;
        this.tokens = tokens;
        this.legacyKeys = legacyKeys;
    }

    /** The {@code Authorization} Auth acts on for this request: the gateway's, or the caller's where there is none. */
    public static String authorization(Context ctx) {
        String seen = ctx.attribute(SEEN);
        return seen != null ? seen : ctx.header("Authorization");
    }

    /** A before-handler for {@code /auth/v1/*}; answers the gateway's 401 itself and stops the request there. */
    public void handle(Context ctx) {
        if (!keys.configured() || ctx.path().endsWith("/.well-known/jwks.json")) {
            return;
        }
        String apikey = Optional.ofNullable(ctx.header("apikey")).orElse(ctx.queryParam("apikey"));
        if (apikey == null || apikey.isBlank()) {
            refuse(ctx, "UNAUTHORIZED_MISSING_API_KEY", "No API key found in request",
                    "No `apikey` request header or url param was found.");
            return;
        }
        Optional<String> role = roleOf(apikey.strip());
        if (role.isEmpty()) {
            refuse(ctx, "UNAUTHORIZED_INVALID_API_KEY", "Invalid API key", "Double check the provided API key.");
            return;
        }
        if (role.get().equals("service_role") && apikey.startsWith(ApiKeys.SECRET_PREFIX)
                && BROWSER.matcher(Optional.ofNullable(ctx.header("User-Agent")).orElse("")).find()) {
            refuse(ctx, "UNAUTHORIZED_SECRET_KEY_IN_BROWSER", "Forbidden use of secret API key in browser",
                    "Secret API keys can only be used in a protected environment and should never be used in a browser.");
            return;
        }
        String bearer = bearer(ctx.header("Authorization"));
        if (bearer == null || (!JWT.matcher(bearer).matches() && bearer.equals(apikey.strip()))) {
            ctx.attribute(SEEN, "Bearer " + (apikey.startsWith("sb_") ? minted(role.get()) : apikey.strip()));
        } else if (!JWT.matcher(bearer).matches()) {
            refuse(ctx, "UNAUTHORIZED_INVALID_API_KEY", "Invalid API key",
                    "An Authorization header that is not a JWT must carry the same key as apikey.");
        }
    }

    private Optional<String> roleOf(String apikey) {
        if (ApiKeys.looksNewStyle(apikey)) {
            return keys.roleOf(apikey);
        }
        return legacyKeys && JWT.matcher(apikey).matches() ? tokens.apiKeyRole(apikey) : Optional.empty();
    }

    private String minted(String role) {
        Instant now = Instant.now();
        return signing.sign(Map.of("iss", "supabase", "role", role, "iat", now.getEpochSecond(),
                "exp", now.plus(MINTED_FOR).getEpochSecond()));
    }

    private static String bearer(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return null;
        }
        String value = authorization.strip();
        return value.toLowerCase(Locale.ROOT).startsWith("bearer ") ? value.substring(7).strip() : value;
    }

    private static void refuse(Context ctx, String code, String message, String hint) {
        ctx.header("sb-error-code", code);
        ctx.status(401).json(Map.of("message", message, "hint", hint));
        ctx.skipRemainingHandlers();
    }
}
