package clinic.conformance.runner.doctor;

import clinic.conformance.fixtures.database.DatabaseUrl;
import clinic.conformance.runner.cli.CannotRun;
import clinic.conformance.runner.cli.Options;
import clinic.conformance.runner.cli.UsageError;
import java.io.PrintStream;
import java.net.URI;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code doctor --target-url URL --db-url JDBC}: checks a target against what the harness needs of it, one line per
 * missing piece with its contract section; exit 2 when certification could not run. {@code certify} runs it first.
 */
public final class DoctorCommand {
    private final Options options;
    private final PrintStream out;

    public DoctorCommand(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public int run() {
        URI target = options.targetUrl().orElseThrow(() -> new UsageError(
                "doctor needs --target-url, the target to check"));
        String db = options.get("db-url").orElseThrow(() -> new UsageError(
                "doctor needs --db-url, the JDBC URL of the target's database"));
        DatabaseUrl database = DatabaseUrl.parse(db);
        Preflight.checkTarget(target);
        Preflight.checkConnection(database);
        List<Requirement> missing = check(target, database, true, out);
        var keys = new KeyProbe().probe(Preflight.targetAuth(options, target));
        keys.forEach(finding -> out.println("doctor: " + finding.line()));
        long refused = keys.stream().filter(KeyProbe.Finding::refused).count();
        if (refused > 0) {
            throw new CannotRun("the target's auth URL refused " + refused + " of the keys given (above): "
                    + "check which project they belong to and that the secret key is CONFORMANCE_SERVICE_KEY");
        }
        if (!missing.isEmpty()) {
            throw new CannotRun(target + " lacks " + missing.size() + " of the " + Requirements.ALL.size()
                    + " things the harness needs (listed above; see docs/requirements-for-targets.md)");
        }
        out.println("doctor: " + target + " has all " + Requirements.ALL.size() + " things the harness needs");
        return 0;
    }

    /** Prints each missing requirement on its own line and returns them. */
    static List<Requirement> check(URI target, DatabaseUrl database, boolean extended, PrintStream out) {
        List<Requirement> missing;
        try {
            missing = new Doctor(target, database).missing(extended);
        } catch (SQLException e) {
            throw new CannotRun("the target's database at " + database.redacted() + " could not be read ("
                    + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        missing.forEach(requirement -> out.println("doctor: " + requirement.missing()));
        return missing;
    }
}
