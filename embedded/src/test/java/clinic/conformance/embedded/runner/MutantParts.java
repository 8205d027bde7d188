package clinic.conformance.embedded.runner;

import clinic.conformance.server.auth.Claims;
import clinic.conformance.server.auth.TokenVerifier;
import clinic.conformance.server.booking.Appointment;
import clinic.conformance.server.booking.AppointmentStore;
import clinic.conformance.server.config.ServerConfig;
import clinic.conformance.server.http.ApiError;
import clinic.conformance.server.identity.AuthSessions;
import clinic.conformance.server.rag.ChatModel;
import clinic.conformance.server.rag.Embeddings;
import clinic.conformance.server.rag.KnowledgeStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The server parts the mutant targets swap in ({@link Mutants}): each wrong in one way, on purpose. The booking ones
 * book through {@link StepwiseBooking}, the reference booking sent statement by statement, and change one step.
 */
final class MutantParts {
    private MutantParts() {
    }

    /** The seed guide's locking query: misses overlaps that start inside the new slot, and locks nothing in an empty one. */
    static final class GuideConflictQuery extends StepwiseBooking {
        @Override
        public Appointment insert(Connection connection, NewAppointment booking) throws SQLException {
            try (var statement = connection.prepareStatement("select id from public.appointments where provider_id = ? "
                    + "and scheduled_at <= ? and scheduled_at + (duration_minutes || ' minutes')::interval > ? "
                    + "and status = 'booked' for update")) {
                statement.setObject(1, booking.arguments().providerId());
                statement.setObject(2, booking.arguments().scheduledAt());
                statement.setObject(3, booking.arguments().scheduledAt());
                try (var rows = statement.executeQuery()) {
                    if (rows.next()) {
                        throw ApiError.slotConflict();
                    }
                }
            }
            return super.insert(connection, booking);
        }
    }

    /** A correct overlap test, but in the application: two transactions can both see an empty slot. */
    static final class ApplicationOverlapCheck extends StepwiseBooking {
        @Override
        public Appointment insert(Connection connection, NewAppointment booking) throws SQLException {
            refuseOverlaps(connection, booking);
            return super.insert(connection, booking);
        }
    }

    /** A correct overlap check in the application: a slot conflict when a booked row of the provider overlaps. */
    static void refuseOverlaps(Connection connection, AppointmentStore.NewAppointment booking) throws SQLException {
        var args = booking.arguments();
        try (var statement = connection.prepareStatement("select 1 from public.appointments where provider_id = ? "
                + "and status = 'booked' and scheduled_at < ? and ends_at > ?")) {
            statement.setObject(1, args.providerId());
            statement.setObject(2, args.scheduledAt().plusMinutes(args.durationMinutes()));
            statement.setObject(3, args.scheduledAt());
            try (var rows = statement.executeQuery()) {
                if (rows.next()) {
                    throw ApiError.slotConflict();
                }
            }
        }
    }

    /** Serializes bookings of one exact start only: different starts that overlap race past the check. */
    static final class ExactStartLock extends StepwiseBooking {
        @Override
        protected void lockSlot(Connection connection, clinic.conformance.server.booking.BookingArguments slot)
                throws SQLException {
            try (var statement = connection.prepareStatement("select pg_advisory_xact_lock(hashtextextended(? || ?, 0))")) {
                statement.setString(1, slot.providerId().toString());
                statement.setString(2, slot.scheduledAt().toInstant().toString());
                statement.executeQuery().close();
            }
        }

        @Override
        public Appointment insert(Connection connection, NewAppointment booking) throws SQLException {
            lockSlot(connection, booking.arguments());
            refuseOverlaps(connection, booking);
            return super.insert(connection, booking);
        }
    }

    /** The replay lookup sees booked rows only: a call resent after its booking was cancelled books again. */
    static final class ReplaysBookedOnly extends StepwiseBooking {
        @Override
        public Optional<Appointment> findByToolCall(Connection connection, UUID orgId, String toolCallId) throws SQLException {
            return super.findByToolCall(connection, orgId, toolCallId).filter(found -> found.status().equals("booked"));
        }
    }

    /** Commits the cancellation at once, then fails the rest and says so: the caller hears "not cancelled". */
    static final class CancelCommittedEarly extends AppointmentStore {
        @Override
        public Optional<Appointment> cancel(Connection connection, UUID id) throws SQLException {
            var cancelled = super.cancel(connection, id);
            if (cancelled.isPresent()) {
                connection.commit();
                throw new ApiError(409, "cancel_failed", "the appointment could not be cancelled; try again");
            }
            return cancelled;
        }
    }

    static final class AnyProvider extends StepwiseBooking {
        @Override
        public boolean providerExists(Connection connection, UUID orgId, UUID providerId) {
            return true;
        }
    }

    static final class NoReplay extends StepwiseBooking {
        @Override
        public Optional<Appointment> findByToolCall(Connection connection, UUID orgId, String toolCallId) {
            return Optional.empty();
        }
    }

    /** Books, then calls Google before committing: a failing Google rolls the booking back. */
    static final class GoogleInTransaction extends StepwiseBooking {
        private final HttpClient http = HttpClient.newHttpClient();
        private final URI google;

        GoogleInTransaction(URI google) {
            this.google = google;
        }

        @Override
        public Appointment insert(Connection connection, NewAppointment booking) throws SQLException {
            Appointment booked = super.insert(connection, booking);
            try {
                var response = http.send(HttpRequest.newBuilder(google.resolve("/calendar/v3/calendars/primary/events"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + booking.eventId() + "\",\"summary\":\"Appointment: "
                                + booking.arguments().patientName().replace("\"", "") + "\"}")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() >= 300) {
                    throw new ApiError(502, "calendar_failed", "Google Calendar failed; nothing was booked");
                }
            } catch (java.io.IOException | InterruptedException e) {
                throw new ApiError(502, "calendar_failed", "Google Calendar failed; nothing was booked");
            }
            return booked;
        }
    }

    /** Reads the claims without checking the signature or the algorithm. */
    static final class UnverifiedTokens extends TokenVerifier {
        /** The real keys, for the service key the harness seeds with; members' tokens are only decoded. */
        UnverifiedTokens(ServerConfig config) {
            super(config.verificationKeys(config.signingKey()));
        }

        @Override
        public Claims verify(String token) {
            try {
                var jwt = com.auth0.jwt.JWT.decode(token);
                return new Claims(UUID.fromString(jwt.getSubject()), UUID.fromString(jwt.getClaim("org_id").asString()),
                        new String(java.util.Base64.getUrlDecoder().decode(jwt.getPayload()), java.nio.charset.StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw ApiError.unauthorized("bad token");
            }
        }
    }

    /** The service-key mistake: search escalates past RLS and forgets the org. */
    static final class ServiceRoleSearch extends KnowledgeStore {
        @Override
        public List<Source> nearest(Connection connection, UUID orgId, float[] question, String model, int k)
                throws SQLException {
            try (var statement = connection.createStatement()) {
                statement.execute("set local role service_role");
            }
            var found = new java.util.ArrayList<Source>();
            try (var statement = connection.prepareStatement("select id, content, 1 - (embedding <=> ?::vector) "
                    + "from public.knowledge_base order by embedding <=> ?::vector limit ?")) {
                statement.setString(1, Embeddings.literal(question));
                statement.setString(2, Embeddings.literal(question));
                statement.setInt(3, k);
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        found.add(new Source(rows.getObject(1, UUID.class), rows.getString(2), rows.getDouble(3)));
                    }
                }
            }
            return found;
        }
    }

    /** A "conversation memory" kept across calls, and so across clinics. */
    static final class SharedMemoryChat implements ChatModel {
        private final ChatModel delegate;
        private final StringBuilder memory = new StringBuilder();

        SharedMemoryChat(ChatModel delegate) {
            this.delegate = delegate;
        }

        @Override
        public String model() {
            return delegate.model();
        }

        @Override
        public synchronized String answer(String systemPrompt, String question) {
            String withMemory = systemPrompt + "\nEarlier in this conversation:\n" + memory;
            memory.append(systemPrompt).append('\n');
            return delegate.answer(withMemory, question);
        }
    }

    /** GoTrue without its session check: an access token is served whether or not its session was signed out. */
    static final class EverySessionAlive extends AuthSessions {
        EverySessionAlive() {
            super(java.time.Duration.ofSeconds(10));
        }

        @Override
        public boolean alive(Connection connection, UUID sessionId) {
            return true;
        }
    }

    /** GoTrue without its reuse detection's consequence: a reused token is refused, its family lives on. */
    static final class FamilySurvivesReuse extends AuthSessions {
        FamilySurvivesReuse() {
            super(java.time.Duration.ofSeconds(10));
        }

        @Override
        protected void revokeFamily(Connection connection, UUID sessionId) {
        }
    }
}
