package clinic.conformance.runner.doctor;

import clinic.conformance.fixtures.target.ApiKeyKind;
import clinic.conformance.fixtures.target.TargetAuth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Which kind of key the harness was given and whether the target's auth URL takes it (contract §5 v4), before
 * anything is seeded: the service key asks the admin API for an unknown user (404: taken), the anon key reads
 * {@code /settings} (200: taken). Each key is sent where the platform wants it; no key is ever printed.
 */
public final class KeyProbe {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One line per key: its kind and what the auth URL answered. */
    public record Finding(String line, boolean refused) {
    }

    public List<Finding> probe(TargetAuth auth) {
        var findings = new ArrayList<Finding>();
        probe(auth.authUrl(), "CONFORMANCE_SERVICE_KEY", auth.serviceKey(), "/admin/users/" + UUID.randomUUID(), 404)
                .ifPresent(findings::add);
        probe(auth.authUrl(), "CONFORMANCE_ANON_KEY", auth.anonKey(), "/settings", 200).ifPresent(findings::add);
        return findings;
    }

    private Optional<Finding> probe(URI authUrl, String name, Optional<String> key, String path, int taken) {
        if (key.isEmpty()) {
            return Optional.empty();
        }
        ApiKeyKind kind = ApiKeyKind.of(key);
        var request = HttpRequest.newBuilder(URI.create(authUrl.toString().replaceAll("/+$", "") + path))
                .timeout(Duration.ofSeconds(10)).header("apikey", key.get()).GET();
        if (kind.isJwt()) {
            request.header("Authorization", "Bearer " + key.get());
        }
        try {
            int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            boolean accepted = status == taken;
            return Optional.of(new Finding(name + " is " + kind + "; " + authUrl + (accepted ? " takes it"
                    : " refused it (" + status + " for GET " + path.replaceAll("/[0-9a-f-]{36}$", "/<unknown id>") + ")"),
                    !accepted));
        } catch (IOException e) {
            return Optional.of(new Finding(name + " is " + kind + "; " + authUrl + " did not answer (" + e.getMessage()
                    + ")", true));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(new Finding(name + " is " + kind + "; interrupted", true));
        }
    }
}
