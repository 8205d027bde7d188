package clinic.conformance.runner;

import clinic.conformance.runner.budgets.BudgetsCommand;
import clinic.conformance.runner.certify.Catalogue;
import clinic.conformance.runner.certify.CertifyCommand;
import clinic.conformance.runner.cli.CannotRun;
import clinic.conformance.runner.cli.Distribution;
import clinic.conformance.runner.cli.HarnessVersion;
import clinic.conformance.runner.cli.Options;
import clinic.conformance.runner.cli.UsageError;
import clinic.conformance.runner.doctor.DoctorCommand;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code ./harness} / {@code java -jar conformance.jar}: certify a target, measure it, or serve the reference server.
 * The exit code is the product: 0 every selected check passed, 1 some failed, 2 the harness could not run — always
 * with one sentence on stderr, and a stack trace only with {@code --debug}.
 */
public final class Harness {
    static final String USAGE = """
            Usage:
              certify [--extended] [--profile seed|vapi] [--signing es256|hs256] [--reports DIR] [--db-url JDBC]
                  Certify the embedded default: a fresh database with the supabase/ migrations (on the PostgreSQL
                  server --db-url names, else Testcontainers or 127.0.0.1:5432), WireMock for Google Calendar and the
                  LLM, and the reference server on a free port, signing ES256 (--signing hs256: a legacy project's
                  HS256 secret). Needs the full distribution (./harness).
              certify --target-url URL --db-url JDBC [--auth-url URL] [--mock-url URL] [--extended] [--reports DIR]
                  Certify a running target. Keys from the environment only: CONFORMANCE_SERVICE_KEY (users made
                  through the auth admin API at --auth-url, default <target-url>/auth/v1; tokens from its password
                  grant), CONFORMANCE_JWT_SIGNING_KEY (the private JWK imported into the project) or the legacy
                  CONFORMANCE_JWT_SECRET (tokens minted for attacks). Checks that need what is not given are skipped
                  with the reason, as are those that need the mock (--mock-url: the WireMock the target uses for
                  Google and the LLM).
              Both also take: --only S2,S4.5 and --exclude S3.4 (IDs or groups), --corpus-size N (S3.4's corpus),
                --attack-seed N (X3's generated inputs: replays the seed a failure names),
                --seed N, --clients N, --history-seconds N (X6's clinic line: its seed, callers and length),
                --refresh-reuse-seconds N (P1.9: the project's refresh-token reuse interval; 10, Supabase's default),
                --vapi-auth jwt|oauth2|bearer|secret|hmac (the credential Vapi's server URL is configured with: tool
                calls go out with it, made through the target's /api/vapi/credentials; hmac also runs V3),
                --baseline FILE (known failures: '<ID> <reason>' per line; listed failures do not fail the gate),
                --config FILE (a properties file of these options, e.g. target-url=…; the command line wins),
                --profile seed|vapi (how refusals are answered: HTTP statuses, the seed's; or HTTP 200 with
                results[].error_code, what a real Vapi assistant reads; default seed),
                --timings (where the run's wall time went, phase by phase, printed at the end),
                --debug (stack traces of harness errors).
              Every option can also be set in the environment: --db-url is CONFORMANCE_DB_URL, and so on.
              doctor --target-url URL --db-url JDBC
                  What the target lacks of the tables, columns, functions and endpoints the harness needs, one line
                  each with its contract section (docs/requirements-for-targets.md); exit 2 if anything is missing.
                  certify --target-url runs it first.
              budgets [--quick] [--load-only] [--judge seed|ratios] [--target-url URL --db-url JDBC [--mock-url URL]]
                  The JMH latency budgets of contract §4, with baselines and scale curves, and the load series (Gatling in
                  its own process at 1, 4, 16 and 64 callers beside the same-run floors: GET /health and the booking's
                  INSERT under RLS via pgbench); reports/budgets.json. --load-only: the load series alone.
                  Exit 1 when any path's p99 is over the seed budget (--judge ratios: over 25 × its same-run floor).
              serve [--port P] [--db-url JDBC]
                  Run the reference server alone (DATABASE_URL, JWT_SIGNING_KEY, JWT_SECRET override the defaults).
              --version
                  The harness's version and commit, and the contract version it certifies against.
            Exit codes: 0 every selected scenario passed, 1 a scenario failed, 2 the harness could not run.
            """;

    /** The launcher's question before a command: will it need the local PostgreSQL (with pgvector)? */
    static final String USES_LOCAL_POSTGRES = "uses-local-postgres";

    private Harness() {
    }

    /** Prints {@code yes} or {@code no}; a command line that does not parse is {@code no} (the command says why). */
    private static int usesLocalPostgres(String[] command, PrintStream out) {
        boolean uses;
        try {
            uses = Options.parse(command).usesLocalPostgres();
        } catch (RuntimeException e) {
            uses = false;
        }
        out.println(uses ? "yes" : "no");
        return 0;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals(USES_LOCAL_POSTGRES)) {
            return usesLocalPostgres(Arrays.copyOfRange(args, 1, args.length), out);
        }
        boolean debug = Arrays.asList(args).contains("--debug");
        try {
            Options options = Options.parse(args);
            return switch (options.command()) {
                case "certify" -> new CertifyCommand(options.validated(), out).run();
                case "doctor" -> new DoctorCommand(options.validated(), out).run();
                case "serve" -> {
                    Options valid = options.validated();
                    yield Distribution.embeddedDefault("serve").serve(valid.embeddedSettings(), valid.port(), out);
                }
                case "budgets" -> {
                    Distribution.requireBenchmarks();
                    yield new BudgetsCommand(options.validated(), out).run();
                }
                case "version", "--version" -> {
                    out.println("conformance " + HarnessVersion.current().version() + " (commit "
                            + HarnessVersion.current().commit() + "), contract " + Catalogue.CONTRACT_VERSION);
                    yield 0;
                }
                case "help", "--help", "-h" -> {
                    out.print(USAGE);
                    yield 0;
                }
                default -> throw new UsageError("unknown command '" + options.command() + "'");
            };
        } catch (UsageError e) {
            err.println("harness: " + e.getMessage() + " (see: ./harness help)");
            return 2;
        } catch (CannotRun e) {
            err.println("harness: " + e.getMessage());
            trace(e, debug, err);
            return 2;
        } catch (Exception | LinkageError e) {
            err.println("harness: could not run: " + oneLine(e) + (debug ? "" : " (--debug shows the stack trace)"));
            trace(e, debug, err);
            return 2;
        }
    }

    private static void trace(Throwable e, boolean debug, PrintStream err) {
        if (debug) {
            e.printStackTrace(err);
        }
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        return e.getClass().getSimpleName() + (message.isBlank() ? "" : ": " + message);
    }
}
