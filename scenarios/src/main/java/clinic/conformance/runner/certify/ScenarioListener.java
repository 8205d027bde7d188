package clinic.conformance.runner.certify;

import io.qameta.allure.AllureId;
import java.io.PrintStream;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Follows a run: one console line per check as it finishes (ID, name, status, time, progress), and each scenario
 * ID's aggregated result for the summary. A failed class setup marks every check under it broken.
 */
public final class ScenarioListener implements TestExecutionListener {
    private final PrintStream out;
    private final Runnable checkStarting;
    private final java.util.function.BiConsumer<String, java.time.Duration> groupFinished;
    private final Function<String, List<String>> reproduce;
    private final Map<String, ScenarioResult> results = new LinkedHashMap<>();
    private final List<String> harnessErrors = new ArrayList<>();
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final Set<String> recorded = new HashSet<>();
    private TestPlan plan;
    private long total;
    private long finished;

    /**
     * @param checkStarting what to do as each check starts (forget the last check's request)
     * @param reproduce     the lines that reproduce a failed check, given its ID (the {@code --only} command and the
     *                      last request as {@code curl}, secrets elided)
     * @param groupFinished told each group of checks' (test class's) wall time as it finishes ({@code --timings})
     */
    ScenarioListener(PrintStream out, Runnable checkStarting, Function<String, List<String>> reproduce,
                     java.util.function.BiConsumer<String, java.time.Duration> groupFinished) {
        this.out = out;
        this.checkStarting = checkStarting;
        this.reproduce = reproduce;
        this.groupFinished = groupFinished;
    }

    Map<String, ScenarioResult> results() {
        return results;
    }

    /** Checks the catalogue does not know: each makes the run a harness error (exit 2). */
    List<String> harnessErrors() {
        return harnessErrors;
    }

    /** How many checks finished, whatever their status. */
    long checksRun() {
        return finished;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
        this.total = testPlan.countTestIdentifiers(TestIdentifier::isTest);
        out.printf("Running %d checks%n", total);
    }

    /** Parameterized and dynamic checks are announced only as they run. */
    @Override
    public synchronized void dynamicTestRegistered(TestIdentifier test) {
        if (test.isTest()) {
            total++;
        }
    }

    @Override
    public void executionStarted(TestIdentifier test) {
        started.put(test.getUniqueId(), System.nanoTime());
        if (test.isTest()) {
            checkStarting.run();
        }
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        forEachCheck(test, check -> record(check, ScenarioStatus.SKIPPED, 0, reason));
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        long ms = Optional.ofNullable(started.get(test.getUniqueId())).map(t -> (System.nanoTime() - t) / 1_000_000).orElse(0L);
        if (test.getSource().filter(org.junit.platform.engine.support.descriptor.ClassSource.class::isInstance).isPresent()) {
            groupFinished.accept("checks: " + test.getDisplayName(), java.time.Duration.ofMillis(ms));
        }
        if (test.isTest()) {
            record(test, status(result), ms, message(result));
        } else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            // a failed @BeforeAll: its checks never ran and must not read as passed; an aborted one (an assumption:
            // the target gave no key, no mock) skipped them, with the reason
            boolean aborted = result.getStatus() == TestExecutionResult.Status.ABORTED;
            ScenarioStatus status = aborted ? ScenarioStatus.SKIPPED : ScenarioStatus.BROKEN;
            String why = aborted ? message(result) : "setup failed: " + message(result);
            if (plan.getDescendants(test).stream().noneMatch(TestIdentifier::isTest)) {
                // a generated family whose factory failed before it named any case
                annotatedId(test).ifPresent(id -> results.merge(id, new ScenarioResult(id, Catalogue.find(id)
                        .map(Catalogue.Scenario::name).orElse(id), status, ms, why), ScenarioResult::merge));
            }
            forEachCheck(test, check -> {
                if (!recorded.contains(check.getUniqueId())) {
                    record(check, status, 0, why);
                }
            });
        }
    }

    private void forEachCheck(TestIdentifier node, java.util.function.Consumer<TestIdentifier> action) {
        if (node.isTest()) {
            action.accept(node);
            return;
        }
        plan.getDescendants(node).stream().filter(TestIdentifier::isTest).forEach(action);
    }

    private synchronized void record(TestIdentifier check, ScenarioStatus status, long ms, String message) {
        if (!recorded.add(check.getUniqueId())) {
            return;
        }
        finished++;
        String name = check.getDisplayName();
        out.printf("[%d/%d] %-7s %s (%d ms)%n", finished, total, status.name(), name, ms);
        if (message != null && !ScenarioStatus.PASSED.equals(status)) {
            out.printf("         %s%n", message.replace("\n", "\n         "));
        }
        String id;
        try {
            id = Catalogue.idOf(annotatedId(check), name);
        } catch (Catalogue.UnknownId e) {
            harnessErrors.add("the check '" + name + "' " + e.getMessage());
            return;
        }
        if (ScenarioStatus.FAILED.equals(status) || ScenarioStatus.BROKEN.equals(status)) {
            reproduce.apply(id).forEach(line -> out.printf("         %s%n", line));
        }
        String scenarioName = Catalogue.find(id).map(Catalogue.Scenario::name).orElse(name.replaceFirst("^\\S+\\s*", ""));
        var result = new ScenarioResult(id, scenarioName, status, ms, message);
        results.merge(id, result, ScenarioResult::merge);
    }

    /** The {@code @AllureId} of the check's method, or of the nearest method above a generated check. */
    private Optional<String> annotatedId(TestIdentifier check) {
        for (Optional<TestIdentifier> node = Optional.of(check); node.isPresent(); node = plan.getParent(node.get())) {
            var source = node.get().getSource();
            if (source.isPresent() && source.get() instanceof MethodSource method) {
                return Optional.ofNullable(method.getJavaMethod().getAnnotation(AllureId.class)).map(AllureId::value);
            }
        }
        return Optional.empty();
    }

    private static ScenarioStatus status(TestExecutionResult result) {
        return switch (result.getStatus()) {
            case SUCCESSFUL -> ScenarioStatus.PASSED;
            case ABORTED -> ScenarioStatus.SKIPPED;
            case FAILED -> result.getThrowable().filter(ScenarioListener::isUnmetExpectation).isPresent()
                    ? ScenarioStatus.FAILED : ScenarioStatus.BROKEN;
        };
    }

    /**
     * An assertion, an awaited condition that never came true, or a request the target took and never answered:
     * the target is wrong, not the harness.
     */
    static boolean isUnmetExpectation(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof AssertionError || t instanceof org.awaitility.core.ConditionTimeoutException
                    || isUnansweredRequest(t)) {
                return true;
            }
        }
        return false;
    }

    /** Connected and sent, then no answer before the timeout; a connect timeout is an unreachable target instead. */
    private static boolean isUnansweredRequest(Throwable t) {
        if (t instanceof HttpTimeoutException) {
            return !(t instanceof HttpConnectTimeoutException);
        }
        return t instanceof SocketTimeoutException
                && !String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("connect");
    }

    private static String message(TestExecutionResult result) {
        return result.getThrowable().map(t -> {
            String text = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
            return text.length() > 2_000 ? text.substring(0, 2_000) + "…" : text;
        }).orElse(null);
    }
}
