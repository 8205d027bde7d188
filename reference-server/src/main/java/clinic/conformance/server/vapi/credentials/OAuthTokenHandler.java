package clinic.conformance.server.vapi.credentials;

import clinic.conformance.server.auth.SigningKey;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /oauth/token}: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4) that Vapi's OAuth2 credential
 * performs to get its tokens, the client authenticated with HTTP Basic or in the form body (§2.3.1); errors as
 * §5.2 says. The token is one of the server's own access tokens, for the credential's clinic, for at most an hour.
 */
public final class OAuthTokenHandler {
    /** Contract §1 v2: a Vapi credential's token lives at most an hour. */
    public static final Duration MAX_LIFETIME = Duration.ofHours(1);
    private final VapiCredentials credentials;
    private final SigningKey signing;
    private final Duration lifetime;
    private final Clock clock;

    public OAuthTokenHandler(VapiCredentials credentials, SigningKey signing, Duration lifetime, Clock clock) {
        this.credentials = credentials;
        this.signing = signing;
        this.lifetime = lifetime.compareTo(MAX_LIFETIME) > 0 ? MAX_LIFETIME : lifetime;
        this.clock = clock;
    }

    private record Client(String id, String secret, boolean basic) {
    }

    public void token(Context ctx) throws Exception {
        ctx.header("Cache-Control", "no-store").header("Pragma", "no-cache");
        String type = Optional.ofNullable(ctx.contentType()).orElse("").toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/x-www-form-urlencoded")) {
            refuse(ctx, 400, "invalid_request", "send the request as application/x-www-form-urlencoded", false);
            return;
        }
        Map<String, String> form;
        Optional<Client> client;
        try {
            form = form(ctx.body());
            client = client(ctx.header("Authorization"), form);
        } catch (IllegalArgumentException e) {
            refuse(ctx, 400, "invalid_request", e.getMessage(), false);
            return;
        }
        String grant = form.get("grant_type");
        if (grant == null) {
            refuse(ctx, 400, "invalid_request", "grant_type is required", false);
            return;
        }
        if (client.isEmpty()) {
            refuse(ctx, 401, "invalid_client", "client authentication is required", true);
            return;
        }
        var credential = credentials.authenticate(client.get().id(), client.get().secret());
        if (credential.isEmpty()) {
            refuse(ctx, 401, "invalid_client", "unknown client, wrong secret, or a revoked credential", client.get().basic());
            return;
        }
        if (!grant.equals("client_credentials")) {
            refuse(ctx, 400, "unsupported_grant_type", "this endpoint grants only client_credentials", false);
            return;
        }
        Instant now = clock.instant();
        var claims = new LinkedHashMap<String, Object>();
        claims.put("sub", credential.get().id().toString());
        claims.put("aud", "authenticated");
        claims.put("role", "authenticated");
        claims.put("org_id", credential.get().orgId().toString());
        claims.put("client_id", credential.get().clientId());
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(lifetime).getEpochSecond());
        String token = signing.sign(claims);
        var answer = new LinkedHashMap<String, Object>();
        answer.put("access_token", token);
        answer.put("token_type", "bearer");
        answer.put("expires_in", lifetime.toSeconds());
        ctx.status(200).json(answer);
    }

    /** The client's credentials from HTTP Basic or from the body; both at once is a malformed request (§2.3). */
    private static Optional<Client> client(String authorization, Map<String, String> form) {
        boolean inBody = form.containsKey("client_id") || form.containsKey("client_secret");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            if (inBody) {
                throw new IllegalArgumentException("authenticate the client one way: HTTP Basic or the body, not both");
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            // RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined
            return Optional.of(new Client(decode(decoded.substring(0, colon)), decode(decoded.substring(colon + 1)), true));
        }
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        return id == null || secret == null ? Optional.empty() : Optional.of(new Client(id, secret, false));
    }

    private static Map<String, String> form(String body) {
        var form = new LinkedHashMap<String, String>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (form.putIfAbsent(key, value) != null) {
                throw new IllegalArgumentException("parameter '" + key + "' is repeated");
            }
        }
        return form;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static void refuse(Context ctx, int status, String error, String description, boolean basicChallenge) {
        if (basicChallenge) {
            ctx.header("WWW-Authenticate", "Basic realm=\"vapi-credentials\"");
        }
        ctx.status(status).json(Map.of("error", error, "error_description", description));
    }
}
