package clinic.conformance.load;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The load generator's process: {@code java -cp load-generator.jar:lib/* clinic.conformance.load.LoadMain PLAN DIR}
 * runs the plan through Gatling, writes Gatling's HTML report under {@code DIR}, and each phase's counts and
 * percentiles of Gatling's response times as {@code DIR/load-results.json} for the harness to read. Exit status: Gatling's (0 when the run completed; failed
 * requests are counted in the statistics, not here).
 */
public final class LoadMain {
    private LoadMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LoadMain PLAN.json RESULTS_DIR");
            System.exit(2);
        }
        Path results = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
        System.setProperty("load.plan", Path.of(args[0]).toAbsolutePath().toString());
        System.setProperty("load.results", results.resolve("load-results.json").toString());
        int status = io.gatling.app.Gatling$.MODULE$.fromArgs(new String[] {
                "-s", PlanSimulation.class.getName(), "-rf", results.toString(), "-rd", "clinic conformance load"});
        System.exit(status);
    }
}
