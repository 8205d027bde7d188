package clinic.conformance.runner.doctor;

import clinic.conformance.fixtures.database.DatabaseUrl;
import clinic.conformance.fixtures.jwt.LocalKey;
import clinic.conformance.fixtures.target.ApiKeyKind;
import clinic.conformance.fixtures.target.Target;
import clinic.conformance.fixtures.target.TargetAuth;
import clinic.conformance.runner.cli.CannotRun;
import clinic.conformance.runner.cli.Options;
import clinic.conformance.runner.cli.UsageError;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;

/** Checks, within seconds, that an external target can be certified at all; otherwise one clear sentence. */
public final class Preflight {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private Preflight() {
    }

    /** The target's version from {@code GET /health}, or "unknown"; throws when nothing answers. */
    public static String checkTarget(URI url) {
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()
                    .send(HttpRequest.newBuilder(url.resolve("/health")).timeout(TIMEOUT).build(),
                            HttpResponse.BodyHandlers.ofString());
            var matcher = java.util.regex.Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
            return matcher.find() ? matcher.group(1) : "unknown";
        } catch (IOException | IllegalArgumentException e) {
            throw new CannotRun("the target at " + url + " does not answer (" + e.getClass().getSimpleName()
                    + "); start it or correct --target-url");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CannotRun("interrupted while reaching " + url);
        }
    }

    /** The database answers this URL's credentials at all. */
    static void checkConnection(DatabaseUrl database) {
        try (var connection = database.connect()) {
            connection.isValid(5);
        } catch (SQLException e) {
            throw new CannotRun("the target's database at " + database.redacted() + " refused ("
                    + e.getMessage().lines().findFirst().orElse("") + "); correct --db-url");
        }
    }

    /** An external target from the options: its secret, database and mock, each checked; with its version. */
    public record External(Target target, String version) {
    }

    public static External externalTarget(Options options, URI targetUrl) {
        TargetAuth auth = targetAuth(options, targetUrl);
        var database = DatabaseUrl.parse(options.get("db-url").orElseThrow(() -> new UsageError(
                "--target-url needs --db-url, the JDBC URL of the target's database")));
        String version = checkTarget(targetUrl);
        checkConnection(database);
        // contract §2 v2: what the target lacks is named before anything is seeded, not found halfway through a scenario
        var missing = DoctorCommand.check(targetUrl, database, options.flag("extended"), System.out);
        if (!missing.isEmpty()) {
            throw new CannotRun("the target lacks " + missing.size() + " things certification needs (listed "
                    + "above; ./harness doctor checks them alone)");
        }
        return new External(new Target(targetUrl, database, auth, options.get("mock-url").map(URI::create),
                "external target " + targetUrl), version);
    }

    /**
     * How identities are had ({@link Options#targetAuth}), checked: a key that is given but unusable stops the run;
     * none at all is allowed — the checks that need one are skipped with the reason.
     */
    static TargetAuth targetAuth(Options options, URI targetUrl) {
        var auth = options.targetAuth(targetUrl);
        if (ApiKeyKind.of(auth.serviceKey()) == ApiKeyKind.PUBLISHABLE || ApiKeyKind.of(auth.anonKey()) == ApiKeyKind.SECRET) {
            throw new CannotRun(TargetAuth.SERVICE_KEY_ENV + " takes the secret key (sb_secret_…) and "
                    + TargetAuth.ANON_KEY_ENV + " the publishable key (sb_publishable_…): they are swapped");
        }
        try {
            LocalKey.of(auth);
        } catch (IllegalArgumentException e) {
            throw new CannotRun(e.getMessage());
        }
        if (auth.serviceKey().isEmpty() && !auth.canMint()) {
            System.out.println("No " + TargetAuth.SERVICE_KEY_ENV + ", " + TargetAuth.SIGNING_KEY_ENV + " or "
                    + TargetAuth.JWT_SECRET_ENV + ": the checks that need a member's token are skipped, with that reason.");
        } else if (!auth.canMint()) {
            System.out.println("No " + TargetAuth.SIGNING_KEY_ENV + " or " + TargetAuth.JWT_SECRET_ENV
                    + ": the token attacks that need a genuine signature are skipped, with that reason.");
        }
        return auth;
    }
}
