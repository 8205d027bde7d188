package clinic.conformance.server;

import clinic.conformance.server.audit.AuditHandler;
import clinic.conformance.server.audit.AuditLog;
import clinic.conformance.server.audit.RefusedTokens;
import clinic.conformance.server.auth.SigningKey;
import clinic.conformance.server.auth.TokenVerifier;
import clinic.conformance.server.booking.AppointmentStore;
import clinic.conformance.server.booking.AppointmentsHandler;
import clinic.conformance.server.booking.BookAppointmentTool;
import clinic.conformance.server.booking.BookingService;
import clinic.conformance.server.booking.ClinicAccess;
import clinic.conformance.server.calendar.Backoff;
import clinic.conformance.server.calendar.CalendarGateway;
import clinic.conformance.server.calendar.CalendarOutbox;
import clinic.conformance.server.calendar.CalendarSync;
import clinic.conformance.server.calendar.GoogleCalendarClient;
import clinic.conformance.server.calendar.GoogleToken;
import clinic.conformance.server.calendar.OAuthRefreshToken;
import clinic.conformance.server.config.ServerConfig;
import clinic.conformance.server.db.Database;
import clinic.conformance.server.db.RoleGrants;
import clinic.conformance.server.gateway.ApiGateway;
import clinic.conformance.server.health.HealthHandler;
import clinic.conformance.server.http.ErrorMapper;
import clinic.conformance.server.http.Json;
import clinic.conformance.server.http.RequestLimits;
import clinic.conformance.server.identity.AccessTokens;
import clinic.conformance.server.identity.AdminUsersHandler;
import clinic.conformance.server.identity.AuthHandler;
import clinic.conformance.server.identity.AuthSessions;
import clinic.conformance.server.identity.LoginLimiter;
import clinic.conformance.server.identity.Members;
import clinic.conformance.server.identity.MembersHandler;
import clinic.conformance.server.identity.Passwords;
import clinic.conformance.server.identity.Sessions;
import clinic.conformance.server.identity.UserHandler;
import clinic.conformance.server.identity.Users;
import clinic.conformance.server.rag.AnswerQuestionTool;
import clinic.conformance.server.rag.ChatModel;
import clinic.conformance.server.rag.Chunker;
import clinic.conformance.server.rag.EmbeddingModel;
import clinic.conformance.server.rag.KnowledgeHandler;
import clinic.conformance.server.rag.KnowledgeStore;
import clinic.conformance.server.rag.LocalEmbeddingModel;
import clinic.conformance.server.rag.OpenAiChatModel;
import clinic.conformance.server.rag.OpenAiEmbeddingModel;
import clinic.conformance.server.rag.SmartAnswerHandler;
import clinic.conformance.server.rag.SmartAnswerService;
import clinic.conformance.server.vapi.VapiToolsHandler;
import clinic.conformance.server.vapi.credentials.OAuthTokenHandler;
import clinic.conformance.server.vapi.credentials.VapiAuthentication;
import clinic.conformance.server.vapi.credentials.VapiCredentials;
import clinic.conformance.server.vapi.credentials.VapiCredentialsHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;

/** Composition root: config → parts → routes. Tests and mutant targets assemble it from other {@link Parts}. */
public final class ReferenceServer implements AutoCloseable {
    private final ServerConfig config;
    private final Parts parts;
    private final CalendarSync calendarSync;
    private final Javalin app;
    private final SigningKey signing;

    /** The swappable parts of the server; everything else is built from them. */
    public record Parts(Database database, TokenVerifier tokens, AppointmentStore appointments,
                        CalendarOutbox outbox, CalendarGateway calendar, ClinicAccess clinicAccess,
                        KnowledgeStore knowledge, EmbeddingModel embeddings, ChatModel chat, VapiCredentials credentials,
                        AuthSessions authSessions) {

        public static Parts defaults(ServerConfig config) {
            Database database = Database.connect(config.databaseUrl(), config.databaseUser(), config.databasePassword(),
                    config.databasePoolSize());
            return new Parts(
                    database,
                    new TokenVerifier(config.verificationKeys(config.signingKey())),
                    new AppointmentStore(),
                    new CalendarOutbox(),
                    new GoogleCalendarClient(config.googleCalendarBaseUrl(), googleToken(config),
                            config.calendarHttpTimeout(), Json.mapper()),
                    ClinicAccess.ownOrgOnly(),
                    new KnowledgeStore(),
                    embeddingModel(config.rag()),
                    new OpenAiChatModel(Json.mapper(), config.rag().llmBaseUrl(), config.rag().llmApiKey(),
                            config.rag().llmModel(), config.rag().llmTimeout()),
                    new VapiCredentials(database, Clock.systemUTC()),
                    new AuthSessions(config.auth().refreshReuseInterval()));
        }

        /** A fixed token, or tokens from Google's endpoint with the refresh token, renewed after a 401. */
        public static GoogleToken googleToken(ServerConfig config) {
            var google = config.googleAuth();
            return google.refreshes()
                    ? new OAuthRefreshToken(google.tokenUrl(), google.clientId(), google.clientSecret(),
                            google.refreshToken(), config.calendarHttpTimeout(), Json.mapper(), Clock.systemUTC())
                    : GoogleToken.fixed(google.token());
        }

        private static EmbeddingModel embeddingModel(ServerConfig.RagSettings rag) {
            return switch (rag.embeddingsProvider()) {
                case "local" -> new LocalEmbeddingModel();
                case "openai" -> new OpenAiEmbeddingModel(Json.mapper(), rag.embeddingsBaseUrl(), rag.embeddingsApiKey(),
                        rag.embeddingsModel(), rag.llmTimeout());
                default -> throw new IllegalArgumentException(ServerConfig.EMBEDDINGS_PROVIDER
                        + " must be local or openai, got '" + rag.embeddingsProvider() + "'");
            };
        }

        public Parts withTokens(TokenVerifier replacement) {
            return new Parts(database, replacement, appointments, outbox, calendar, clinicAccess, knowledge,
                    embeddings, chat, credentials, authSessions);
        }

        public Parts withAppointments(AppointmentStore replacement) {
            return new Parts(database, tokens, replacement, outbox, calendar, clinicAccess, knowledge, embeddings,
                    chat, credentials, authSessions);
        }

        public Parts withCalendar(CalendarGateway replacement) {
            return new Parts(database, tokens, appointments, outbox, replacement, clinicAccess, knowledge,
                    embeddings, chat, credentials, authSessions);
        }

        public Parts withClinicAccess(ClinicAccess replacement) {
            return new Parts(database, tokens, appointments, outbox, calendar, replacement, knowledge, embeddings,
                    chat, credentials, authSessions);
        }

        public Parts withKnowledge(KnowledgeStore replacement) {
            return new Parts(database, tokens, appointments, outbox, calendar, clinicAccess, replacement, embeddings,
                    chat, credentials, authSessions);
        }

        public Parts withCredentials(VapiCredentials replacement) {
            return new Parts(database, tokens, appointments, outbox, calendar, clinicAccess, knowledge, embeddings,
                    chat, replacement, authSessions);
        }

        public Parts withAuthSessions(AuthSessions replacement) {
            return new Parts(database, tokens, appointments, outbox, calendar, clinicAccess, knowledge, embeddings,
                    chat, credentials, replacement);
        }

        public Parts withChat(ChatModel replacement) {
            return new Parts(database, tokens, appointments, outbox, calendar, clinicAccess, knowledge, embeddings,
                    replacement, credentials, authSessions);
        }
    }

    /** The algorithm the GoTrue subset signs with (ES256, RS256, or the legacy HS256). */
    public String signingAlgorithm() {
        return signing.algorithm();
    }

    /** GoTrue's refresh-token reuse interval this server applies. */
    public java.time.Duration refreshReuseInterval() {
        return config.auth().refreshReuseInterval();
    }

    /** What the GoTrue subset signs with, parsed once from the configuration. */
    public SigningKey signingKey() {
        return signing;
    }

    public ReferenceServer(ServerConfig config, Parts parts) {
        this.config = config;
        this.parts = parts;
        this.signing = config.signingKey();
        ObjectMapper mapper = Json.mapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .configure(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION,
                        config.vapi().refuseDuplicateKeys());
        this.calendarSync = new CalendarSync(parts.database(), parts.outbox(), parts.calendar(),
                new CalendarSync.Settings(config.googleCalendarId(), config.calendarSyncBudget(),
                        config.calendarHttpTimeout(), new Backoff(config.calendarRetryBase(), config.calendarRetryMax()),
                        config.calendarPollInterval()));
        var audit = new AuditLog(parts.database(), mapper);
        var bookings = new BookingService(parts.database(), parts.appointments(), parts.outbox(), calendarSync,
                parts.clinicAccess(), audit);
        var smartAnswers = new SmartAnswerService(parts.database(), parts.knowledge(), parts.embeddings(), parts.chat());
        var vapiAuthentication = new VapiAuthentication(parts.tokens(), parts.credentials(), audit, mapper,
                config.vapi().authentication());
        var tools = new VapiToolsHandler(mapper, vapiAuthentication,
                List.of(new BookAppointmentTool(bookings), new AnswerQuestionTool(smartAnswers, audit)),
                config.vapi().refusalsAsStatus(), config.vapi().maxToolCalls());
        var limits = new RequestLimits(config.vapi().maxMessageBytes());
        var knowledge = new KnowledgeHandler(mapper, parts.database(), parts.tokens(), parts.knowledge(),
                parts.embeddings(), new Chunker(config.rag().chunkChars()));
        var smartAnswer = new SmartAnswerHandler(mapper, parts.tokens(), smartAnswers);
        var appointments = new AppointmentsHandler(parts.database(), parts.tokens(), parts.appointments(), audit,
                parts.outbox());
        var auditLog = new AuditHandler(parts.database(), parts.tokens(),
                claims -> Members.isAdmin(parts.database(), claims));
        var health = new HealthHandler(parts.database());
        var auth = config.auth();
        var users = new Users(mapper);
        var passwords = new Passwords();
        byte[] jwks = signing.publicKeys().toPublicJWKSet().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var sessions = new Sessions(mapper, new AccessTokens(mapper, signing, auth.accessTokenLifetime()),
                parts.authSessions());
        var identity = new AuthHandler(mapper, parts.database(), users, passwords, sessions, parts.authSessions(),
                new LoginLimiter(auth.maxFailuresPerEmail(), auth.maxFailuresPerAddress(), auth.failureWindow(),
                        Clock.systemUTC()), auth.passwordMinLength(), auth.emailConfirmation());
        parts.tokens().refusing(parts.credentials()::revoked);
        var vapiCredentials = new VapiCredentialsHandler(mapper, parts.database(), parts.tokens(), parts.credentials(), audit);
        var oauth = new OAuthTokenHandler(parts.credentials(), signing, auth.accessTokenLifetime(),
                Clock.systemUTC());
        var currentUser = new UserHandler(mapper, parts.database(), parts.tokens(), users, passwords, sessions,
                parts.authSessions(), auth.passwordMinLength());
        var gateway = new ApiGateway(auth.apiKeys(), signing, parts.tokens(), config.jwtSecret() != null);
        var adminUsers = new AdminUsersHandler(mapper, parts.database(), users, passwords, sessions, parts.tokens());
        var members = new MembersHandler(mapper, parts.database(), parts.tokens(), users, passwords, audit);
        byte[] openApi = resource("/openapi.json");

        this.app = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.http.maxRequestSize = limits.largest();
            // oversized tokens get the contract's 401 from us, not a bare 431 from Jetty
            javalin.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(64 * 1024));
            javalin.jsonMapper(new JavalinJackson(mapper, false));
            // contract §1 v3: auditing a refused token is the operator's choice; cross-org refusals are always audited
            new ErrorMapper(config.auth().auditRefusedTokens() ? new RefusedTokens(parts.tokens(), audit)
                    : (ctx, error) -> { }).register(javalin);
            javalin.routes.before("/api/*", limits::check);
            javalin.routes.before("/auth/*", limits::check);
            javalin.routes.before("/auth/v1/*", gateway::handle);
            javalin.routes.get("/health", health::handle);
            javalin.routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
            javalin.routes.post("/api/vapi/tools", tools);
            javalin.routes.post("/api/vapi/credentials", vapiCredentials::create);
            javalin.routes.get("/api/vapi/credentials", vapiCredentials::list);
            javalin.routes.delete("/api/vapi/credentials/{id}", vapiCredentials::revoke);
            javalin.routes.post("/oauth/token", oauth::token);
            javalin.routes.get("/api/appointments", appointments::list);
            javalin.routes.get("/api/appointments/{id}", appointments::getOne);
            javalin.routes.post("/api/appointments/{id}/cancel", appointments::cancel);
            javalin.routes.get("/api/audit", auditLog::list);
            javalin.routes.post("/api/members", members::add);
            javalin.routes.post("/api/knowledge", knowledge::ingest);
            javalin.routes.post("/api/smart-answer", smartAnswer::answer);
            javalin.routes.get("/auth/v1/.well-known/jwks.json", ctx -> ctx.contentType("application/json")
                    .header("Cache-Control", "public, max-age=600").result(jwks));
            javalin.routes.post("/auth/v1/signup", identity::signup);
            javalin.routes.post("/auth/v1/token", identity::token);
            javalin.routes.get("/auth/v1/user", currentUser::get);
            javalin.routes.put("/auth/v1/user", currentUser::update);
            javalin.routes.post("/auth/v1/logout", currentUser::logout);
            javalin.routes.post("/auth/v1/admin/users", adminUsers::create);
            javalin.routes.get("/auth/v1/admin/users/{id}", adminUsers::get);
            javalin.routes.put("/auth/v1/admin/users/{id}", adminUsers::update);
            javalin.routes.get("/auth/v1/settings", ctx -> ctx.json(java.util.Map.of("external",
                    java.util.Map.of("email", true), "disable_signup", false, "mailer_autoconfirm", !auth.emailConfirmation())));
        });
    }

    public static ReferenceServer start(ServerConfig config) {
        return new ReferenceServer(config, Parts.defaults(config)).start();
    }

    public ReferenceServer start() {
        RoleGrants.require(parts.database());
        calendarSync.start();
        app.start(config.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public Parts parts() {
        return parts;
    }

    @Override
    public void close() {
        app.stop();
        calendarSync.close();
        parts.database().close();
    }

    private static byte[] resource(String name) {
        try (var in = ReferenceServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the server's resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) {
        ServerConfig config = ServerConfig.fromEnv();
        ReferenceServer server = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("reference server listening on " + server.url() + " (" + config + ")");
    }
}
