package clinic.conformance.server.calendar;

import clinic.conformance.server.db.Database;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs bookings to Google Calendar: one attempt right after the booking commits, awaited for at most a short budget
 * (its outcome recorded by the worker's next pass, in a batch), then the outbox worker retries with backoff until
 * Google has the event; after a cancellation the worker deletes it the same way. A booking never waits on, or is lost
 * to, Google.
 */
public final class CalendarSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CalendarSync.class);
    private static final int BATCH = 20;
    /** First attempts in flight at once: each is one Google call and one short transaction. */
    private static final int ATTEMPT_THREADS = 32;

    private final Database database;
    private final CalendarOutbox outbox;
    private final CalendarGateway gateway;
    private final Settings settings;
    private final ThreadPoolExecutor attempts;
    private final ScheduledExecutorService worker;
    /** First attempts' outcomes, recorded by the worker's next pass in one transaction, not one per booking. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Outcome> outcomes = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** One attempt's outcome, waiting to be recorded. */
    private record Outcome(java.util.UUID appointmentId, CalendarResult result, Duration retryIn,
                           java.time.OffsetDateTime at) {
    }

    /** How long to wait, how to back off, and how often the worker looks for due rows. */
    public record Settings(String calendarId, Duration budget, Duration httpTimeout, Backoff backoff,
                           Duration pollInterval) {
        /** How long the worker leaves a fresh row to the first attempt, which may still be in flight. */
        Duration firstAttemptHold() {
            return budget.plus(httpTimeout).plusSeconds(1);
        }
    }

    public CalendarSync(Database database, CalendarOutbox outbox, CalendarGateway gateway, Settings settings) {
        this.database = database;
        this.outbox = outbox;
        this.gateway = gateway;
        this.settings = settings;
        // a fixed size: with a bounded queue, a ThreadPoolExecutor grows past its core size only once the queue is
        // full, so "4 to 16 threads" ran every first attempt on 4 threads and bookings queued behind each other's
        // Google calls (docs/profile.md)
        this.attempts = new ThreadPoolExecutor(ATTEMPT_THREADS, ATTEMPT_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(2_000), daemon("calendar-attempt"));
        attempts.allowCoreThreadTimeOut(true);
        this.worker = Executors.newSingleThreadScheduledExecutor(daemon("calendar-outbox"));
    }

    public String calendarId() {
        return settings.calendarId();
    }

    public Duration firstAttemptHold() {
        return settings.firstAttemptHold();
    }

    public void start() {
        long every = settings.pollInterval().toMillis();
        worker.scheduleWithFixedDelay(this::drainDue, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Tries Google now for the appointment {@code appointmentId} (its event {@code eventId}, for {@code patientName},
     * from {@code start} for {@code minutes}) and waits at most the budget; past it the answer is "pending" and the
     * outbox carries on.
     */
    public SyncStatus syncWithinBudget(java.util.UUID appointmentId, String eventId, String patientName,
                                       java.time.OffsetDateTime start, int minutes) {
        var event = new CalendarEvent(eventId, settings.calendarId(), "Appointment: " + patientName,
                "Booked by the voice assistant", start, start.plusMinutes(minutes));
        CompletableFuture<SyncStatus> attempt;
        try {
            attempt = CompletableFuture.supplyAsync(() -> firstAttempt(event, appointmentId), attempts);
        } catch (RejectedExecutionException e) {
            return SyncStatus.pending(event.eventId());
        }
        try {
            return attempt.get(settings.budget().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return SyncStatus.pending(event.eventId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SyncStatus.pending(event.eventId());
        }
    }

    /**
     * The in-response attempt: Google's answer is the booking's {@code calendar_sync} at once, and is recorded by the
     * worker's next pass with the others (the worker leaves the row alone until then: it is still held, and skipped
     * while its outcome waits).
     */
    private SyncStatus firstAttempt(CalendarEvent event, java.util.UUID appointmentId) {
        CalendarResult result = gateway.insert(event);
        var outcome = new Outcome(appointmentId, result, retryIn(result, 0),
                java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        outcomes.add(outcome);
        if (result instanceof CalendarResult.Inserted inserted) {
            return new SyncStatus(event.eventId(), "synced", outcome.at(), inserted.htmlLink());
        }
        if (result instanceof CalendarResult.AlreadyExists) {
            return new SyncStatus(event.eventId(), "synced", outcome.at(), null);
        }
        return result instanceof CalendarResult.Rejected ? new SyncStatus(event.eventId(), "failed", null, null)
                : SyncStatus.pending(event.eventId());
    }

    private Duration retryIn(CalendarResult result, int previousAttempts) {
        return result instanceof CalendarResult.Retryable retryable
                ? settings.backoff().next(previousAttempts + 1, retryable.retryAfter())
                : Duration.ZERO;
    }

    /** Records the first attempts' outcomes that came in since the last pass, in one transaction. */
    void recordOutcomes() {
        var batch = new java.util.ArrayList<Outcome>();
        for (Outcome outcome = outcomes.poll(); outcome != null; outcome = outcomes.poll()) {
            batch.add(outcome);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            database.asService(connection -> {
                for (Outcome outcome : batch) {
                    outbox.apply(connection, outcome.appointmentId(), outcome.result(), outcome.retryIn(), outcome.at());
                }
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            // the rows stay pending: the worker tries Google again once their hold has passed (Google answers 409)
            LOG.warn("could not record {} calendar attempts: {}", batch.size(), e.getClass().getSimpleName());
        }
    }

    private SyncStatus attempt(CalendarEvent event, java.util.UUID appointmentId, int previousAttempts, boolean deletion) {
        CalendarResult result = deletion ? gateway.delete(event) : gateway.insert(event);
        Duration retryIn = retryIn(result, previousAttempts);
        try {
            return database.asService(connection -> outbox.record(connection, appointmentId, result, retryIn));
        } catch (SQLException e) {
            LOG.warn("could not record calendar attempt for {}: SQLSTATE {}", appointmentId, e.getSQLState());
            return SyncStatus.pending(event.eventId());
        }
    }

    /** One pass of the outbox worker: claim due rows, try each once. */
    void drainDue() {
        recordOutcomes();
        try {
            var waiting = outcomes.stream().map(Outcome::appointmentId).toArray(java.util.UUID[]::new);
            var due = database.asService(connection -> outbox.claimDue(connection, BATCH, settings.firstAttemptHold(),
                    waiting));
            for (var row : due) {
                attempt(new CalendarEvent(row.eventId(), row.calendarId(), row.summary(), "Booked by the voice assistant",
                        row.start(), row.end()), row.appointmentId(), row.attempts(), row.deletion());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("calendar outbox pass failed: {}", e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        attempts.shutdownNow();
        recordOutcomes();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            var thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
