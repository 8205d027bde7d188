package clinic.conformance.runner.load;

import clinic.conformance.fixtures.corpus.ClinicFacts;
import clinic.conformance.fixtures.target.Profile;
import clinic.conformance.fixtures.vapi.BookingCall;
import clinic.conformance.load.LoadPlan;
import clinic.conformance.scenarios.benchmarks.BenchmarkTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The load plan the generator runs (the {@code load} module reads it): a warm-up of every path (not reported), then
 * at each number of callers {@code GET /health} (the HTTP floor), a booking of a fresh slot, a booking of the taken
 * slot (the 409 path) and an {@code answer_question}, each phase alone. The file holds the benchmark clinic's token: it is written owner-only
 * in a temporary directory and deleted after the run.
 */
final class LoadPlanFile {
    static final String HEALTH = "health";
    static final String BOOKING = "booking";
    static final String CONFLICT = "conflict";
    static final String ANSWER = "answer";
    static final List<String> PATHS = List.of(HEALTH, BOOKING, CONFLICT, ANSWER);
    private static final OffsetDateTime SENTINEL = OffsetDateTime.parse("2299-12-31T23:30:00Z");

    private LoadPlanFile() {
    }

    static String phase(String path, int callers) {
        return path + "@" + callers;
    }

    static Path write(BenchmarkTarget bench, List<Integer> levels, int seconds, Path directory) throws IOException {
        var fx = bench.fixtures();
        var phases = new java.util.ArrayList<LoadPlan.Phase>();
        BookingCall fresh = fx.api().book(bench.provider()).at(SENTINEL);
        String booking = withIds(fresh.payload(), fresh.toolCallId(), fresh.callId())
                .replace(fresh.argument("scheduled_at"), "{{slot}}");
        BookingCall taken = fx.api().book(bench.provider()).at(bench.takenSlot());
        String conflict = withIds(taken.payload(), taken.toolCallId(), taken.callId());
        var question = fx.api().ask(ClinicFacts.HOURS_QUESTION);
        String answer = question.payload().replace(question.toolCallId(), "{{id}}").replaceAll("vapi-call-[0-9a-f-]{36}", "{{id}}");
        int refused = fx.api().profile() == Profile.SEED ? 409 : 200;
        var bodies = java.util.Map.of(BOOKING, booking, CONFLICT, conflict, ANSWER, answer);
        var statuses = java.util.Map.of(BOOKING, 200, CONFLICT, refused, ANSWER, 200);
        // a warm-up of every path at 4 callers, not reported: the server's JIT compiles them before anything is measured
        for (String path : PATHS) {
            phases.add(phase("warmup-" + path, bodies.get(path), statuses.getOrDefault(path, 200), 4, seconds));
        }
        for (int callers : levels) {
            for (String path : PATHS) {
                phases.add(phase(phase(path, callers), bodies.get(path), statuses.getOrDefault(path, 200), callers, seconds));
            }
        }
        Path file = Files.createTempFile(directory, "load-plan", ".json",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        new LoadPlan(fx.target().url().toString(), bench.token(), phases).write(file);
        return file;
    }

    /** A tool-calls phase where there is a body, else {@code GET /health} without a token. */
    private static LoadPlan.Phase phase(String name, String body, int status, int callers, int seconds) {
        return body == null ? LoadPlan.Phase.health(name, callers, seconds)
                : LoadPlan.Phase.tools(name, body, status, callers, seconds);
    }

    private static String withIds(String payload, String toolCallId, String callId) {
        return payload.replace(toolCallId, "{{id}}").replace(callId, "{{id}}");
    }
}
