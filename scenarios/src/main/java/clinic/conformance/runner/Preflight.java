package clinic.conformance.runner;

import clinic.conformance.fixtures.database.DatabaseUrl;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import clinic.conformance.fixtures.jwt.LocalKey;
import clinic.conformance.fixtures.target.ApiKeyKind;
import clinic.conformance.fixtures.target.TargetAuth;
import clinic.conformance.fixtures.target.TargetSettings;

/** Checks, within seconds, that an external target can be certified at all; otherwise one clear sentence. */
final class Preflight {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private Preflight() {
    }

    /** The target's version from {@code GET /health}, or "unknown"; throws when nothing answers. */
    static String checkTarget(URI url) {
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()
                    .send(HttpRequest.newBuilder(url.resolve("/health")).timeout(TIMEOUT).build(),
                            HttpResponse.BodyHandlers.ofString());
            var matcher = java.util.regex.Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
            return matcher.find() ? matcher.group(1) : "unknown";
        } catch (IOException | IllegalArgumentException e) {
            throw new Harness.CannotRun("the target at " + url + " does not answer (" + e.getClass().getSimpleName()
                    + "); start it or correct --target-url");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Harness.CannotRun("interrupted while reaching " + url);
        }
    }

    /** The database answers this URL's credentials at all. */
    static void checkConnection(DatabaseUrl database) {
        try (var connection = database.connect()) {
            connection.isValid(5);
        } catch (SQLException e) {
            throw new Harness.CannotRun("the target's database at " + database.redacted() + " refused ("
                    + e.getMessage().lines().findFirst().orElse("") + "); correct --db-url");
        }
    }

    /** An external target from the options: its secret, database and mock, each checked; with its version. */
    record External(clinic.conformance.fixtures.target.Target target, String version) {
    }

    static External externalTarget(Options options, String url) {
        URI targetUrl = URI.create(url);
        TargetAuth auth = targetAuth(options, targetUrl);
        var database = DatabaseUrl.parse(options.get("db-url").orElseThrow(() -> new Options.UsageError(
                "--target-url needs --db-url, the JDBC URL of the target's database")));
        String version = checkTarget(targetUrl);
        checkConnection(database);
        // SPEC §2 v2: what the target lacks is named before anything is seeded, not found halfway through a scenario
        var missing = DoctorCommand.check(targetUrl, database, options.flag("extended"), System.out);
        if (!missing.isEmpty()) {
            throw new Harness.CannotRun("the target lacks " + missing.size() + " things certification needs (listed "
                    + "above; ./harness doctor checks them alone)");
        }
        return new External(new clinic.conformance.fixtures.target.Target(targetUrl, database, auth,
                options.get("mock-url").map(URI::create), "external target " + targetUrl), version);
    }

    /**
     * How identities are had (SPEC §5 v2): {@code --auth-url} (default {@code <target-url>/auth/v1}) and, from the
     * environment only, the service key, the imported signing key and the legacy secret. A key that is given but
     * unusable stops the run; none at all is allowed — the checks that need one are skipped with the reason.
     */
    static TargetAuth targetAuth(Options options, URI targetUrl) {
        var settings = new TargetSettings(key -> Optional.empty());
        var auth = new TargetAuth(options.get("auth-url").map(URI::create).orElse(TargetAuth.defaultAuthUrl(targetUrl)),
                settings.serviceKey(), settings.signingKey(), settings.jwtSecret(), settings.anonKey());
        if (ApiKeyKind.of(auth.serviceKey()) == ApiKeyKind.PUBLISHABLE || ApiKeyKind.of(auth.anonKey()) == ApiKeyKind.SECRET) {
            throw new Harness.CannotRun(TargetSettings.SERVICE_KEY_ENV + " takes the secret key (sb_secret_…) and "
                    + TargetSettings.ANON_KEY_ENV + " the publishable key (sb_publishable_…): they are swapped");
        }
        try {
            LocalKey.of(auth);
        } catch (IllegalArgumentException e) {
            throw new Harness.CannotRun(e.getMessage());
        }
        if (auth.serviceKey().isEmpty() && !auth.canMint()) {
            System.out.println("No " + TargetSettings.SERVICE_KEY_ENV + ", " + TargetSettings.SIGNING_KEY_ENV + " or "
                    + TargetSettings.JWT_SECRET_ENV + ": the checks that need a member's token are skipped, with that reason.");
        } else if (!auth.canMint()) {
            System.out.println("No " + TargetSettings.SIGNING_KEY_ENV + " or " + TargetSettings.JWT_SECRET_ENV
                    + ": the token attacks that need a genuine signature are skipped, with that reason.");
        }
        return auth;
    }
}
