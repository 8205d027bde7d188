package clinic.conformance.runner;

/** {@code ./harness} / {@code java -jar conformance.jar}: certify a target, or serve the reference server. */
public final class Harness {
    static final String USAGE = """
            Usage:
              certify [--extended] [--reports DIR]
                  Certify the embedded default: a fresh database with the supabase/ migrations, WireMock for Google
                  Calendar and the LLM, and the reference server on a free port.
              certify --target-url URL --db-url JDBC [--mock-url URL] [--extended] [--reports DIR]
                  Certify a running target. Its JWT secret comes from CONFORMANCE_JWT_SECRET. Checks that need the
                  mock (--mock-url, the WireMock the target uses for Google and the LLM) are skipped without it.
              Both also take: --only S2,S4.5 and --exclude S3.4 (IDs or groups), --corpus-size N (S3.4's corpus),
                --baseline FILE (known failures: '<ID> <reason>' per line; listed failures do not fail the gate),
                --config FILE (a properties file of these options, e.g. target-url=…; the command line wins).
              budgets [--quick] [--target-url URL --db-url JDBC [--mock-url URL]]
                  The JMH latency budgets of SPEC §4, with baselines and scale curves; reports/budgets.json.
                  Exit 1 when any path's p99 is over the seed budget.
              serve [--port P]
                  Run the reference server alone (DATABASE_URL and JWT_SECRET override the defaults).
            Exit codes: 0 every selected scenario passed, 1 a scenario failed, 2 the harness could not run.
            """;

    private Harness() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        try {
            Options options = Options.parse(args);
            return switch (options.command()) {
                case "certify" -> new CertifyCommand(options, System.out).run();
                case "serve" -> new ServeCommand(options, System.out).run();
                case "budgets" -> {
                    try {
                        yield new BudgetsCommand(options, System.out).run();
                    } catch (Options.UsageError | CannotRun e) {
                        throw e;
                    } catch (Exception e) {
                        throw new CannotRun("the benchmarks could not run: " + e.getMessage());
                    }
                }
                case "help", "--help", "-h" -> {
                    System.out.print(USAGE);
                    yield 0;
                }
                default -> throw new Options.UsageError("unknown command '" + options.command() + "'");
            };
        } catch (Options.UsageError | CannotRun e) {
            System.err.println("harness: " + e.getMessage());
            if (e instanceof Options.UsageError) {
                System.err.print(USAGE);
            }
            return 2;
        }
    }

    /** The harness could not run at all (bad configuration, target unreachable): exit 2 with one sentence. */
    static final class CannotRun extends RuntimeException {
        CannotRun(String message) {
            super(message);
        }
    }
}
