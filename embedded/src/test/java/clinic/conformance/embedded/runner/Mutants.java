package clinic.conformance.embedded.runner;

import clinic.conformance.embedded.runner.MutantParts.*;
import clinic.conformance.embedded.EmbeddedTarget;
import clinic.conformance.fixtures.target.Profile;
import clinic.conformance.server.ReferenceServer;
import clinic.conformance.server.auth.TokenVerifier;
import clinic.conformance.server.booking.AppointmentStore;
import clinic.conformance.server.calendar.CalendarResult;
import clinic.conformance.server.calendar.GoogleAnswer;
import clinic.conformance.server.calendar.GoogleCalendarClient;
import clinic.conformance.server.config.ServerConfig;
import clinic.conformance.server.http.Json;
import clinic.conformance.server.identity.AuthSessions;
import clinic.conformance.server.rag.ChatModel;
import clinic.conformance.server.rag.KnowledgeStore;
import clinic.conformance.server.vapi.credentials.VapiCredentials.SignaturePlan;
import clinic.conformance.server.vapi.credentials.VapiCredentials;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The catalogue of deliberately wrong targets: each is the real reference server with one part swapped through its
 * composition root, or one SQL change to its database — never a switch in the shipped server's code path.
 */
final class Mutants {
    /** One wrong target, how it is built, and the scenario IDs that must fail against it. */
    record Mutant(String name, String builtBy, Supplier<EmbeddedTarget.Builder> build, Set<String> mustFail, int runs,
                  Optional<MutantFront.Rewrite> front) {
        Mutant(String name, String builtBy, Supplier<EmbeddedTarget.Builder> build, Set<String> mustFail) {
            this(name, builtBy, build, mustFail, 1, Optional.empty());
        }

        Mutant(String name, String builtBy, Supplier<EmbeddedTarget.Builder> build, Set<String> mustFail, int runs) {
            this(name, builtBy, build, mustFail, runs, Optional.empty());
        }

        /** The real server, under the vapi profile, behind a front that rewrites its Vapi exchanges. */
        static Mutant fronted(String name, String builtBy, MutantFront.Rewrite rewrite, String mustFail) {
            return new Mutant(name, builtBy, () -> EmbeddedTarget.builder().withProfile(Profile.VAPI), Set.of(mustFail), 1,
                    Optional.of(rewrite));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private Mutants() {
    }

    static List<Mutant> catalogue() {
        return List.of(
                new Mutant("books overlapping slots", "SQL: drop the exclusion constraint",
                        () -> sql("alter table public.appointments drop constraint appointments_no_overlap"), Set.of("S2.2")),
                new Mutant("uses the guide's conflict query", "AppointmentStore: the seed guide's SELECT … FOR UPDATE; no exclusion constraint",
                        () -> sql("alter table public.appointments drop constraint appointments_no_overlap")
                                .withParts(p -> p.withAppointments(new GuideConflictQuery())), Set.of("S2.2")),
                new Mutant("checks overlaps in the application only", "AppointmentStore: a correct overlap SELECT, no database guarantee",
                        () -> sql("alter table public.appointments drop constraint appointments_no_overlap")
                                .withParts(p -> p.withAppointments(new ApplicationOverlapCheck())), Set.of("S2.5"), 3),
                new Mutant("skips the org check", "ClinicAccess: allows every clinic",
                        () -> EmbeddedTarget.builder().withParts(p -> p.withClinicAccess((claims, clinic) -> true)), Set.of("S2.4")),
                new Mutant("skips the provider check", "AppointmentStore: every provider exists",
                        () -> EmbeddedTarget.builder().withParts(p -> p.withAppointments(new AnyProvider())), Set.of("S2.6")),
                new Mutant("ignores toolCallId", "AppointmentStore: no replay lookup; SQL: unique constraint dropped",
                        () -> sql("alter table public.appointments drop constraint appointments_tool_call_once")
                                .withParts(p -> p.withAppointments(new NoReplay())), Set.of("S2.5")),
                new Mutant("drops calendar sync", "CalendarGateway: claims success, calls nobody",
                        () -> EmbeddedTarget.builder().withParts(p -> p.withCalendar(event ->
                                new CalendarResult.Inserted(event.eventId(), null))), Set.of("S2.1")),
                new Mutant("rolls the booking back when Google fails", "AppointmentStore: calls Google inside the booking transaction",
                        () -> EmbeddedTarget.builder().withPartsFor((p, config) ->
                                p.withAppointments(new GoogleInTransaction(config.googleCalendarBaseUrl()))), Set.of("X5.1")),
                new Mutant("does not verify token signatures", "TokenVerifier: decodes without verifying",
                        () -> EmbeddedTarget.builder().withPartsFor((p, config) -> p.withTokens(new UnverifiedTokens(config))), Set.of("S4.5")),
                new Mutant("accepts expired tokens", "TokenVerifier: ten years of leeway",
                        () -> EmbeddedTarget.builder().withPartsFor((p, config) ->
                                p.withTokens(new TokenVerifier(config.verificationKeys(config.signingKey()), 315_360_000L))),
                        Set.of("S2.7", "S4.5")),
                keyChoice("trusts an asymmetric token whose kid it does not publish", "unverified", WrongKeyChoices::unknownKidUnverified, "X1.24"),
                keyChoice("finds keys at the token's own iss", "fetches <iss>/.well-known/jwks.json", WrongKeyChoices::issuerDiscovery, "X1.25"),
                keyChoice("takes the algorithm from the token", "HS256 with its public key's PEM as the secret", WrongKeyChoices::algorithmFromToken, "X1.26"),
                keyChoice("follows the jku header", "loads the key set the token names", WrongKeyChoices::followsJku, "X1.27"),
                keyChoice("follows the x5u header", "trusts the certificate the token names", WrongKeyChoices::followsX5u, "X1.28"),
                keyChoice("trusts the jwk header", "verifies with the key the token carries", WrongKeyChoices::trustsEmbeddedJwk, "X1.29"),
                keyChoice("accepts ECDSA signatures of zeros", "CVE-2022-21449's r = s = 0", WrongKeyChoices::psychicSignatures, "X1.30"),
                new Mutant("mints tokens whose hook omits org_id", "SQL: custom_access_token_hook returns the claims unchanged",
                        () -> sql("""
                                create or replace function public.custom_access_token_hook(event jsonb) returns jsonb
                                language sql stable as $$ select jsonb_build_object('claims', event -> 'claims') $$"""),
                        Set.of("S1.2", "S1.4")),
                new Mutant("has a signup trigger that creates no profile", "SQL: handle_new_user creates only the org",
                        () -> sql("""
                                create or replace function public.handle_new_user() returns trigger
                                language plpgsql security definer set search_path = '' as $$
                                begin
                                  insert into public.organizations (name) values (coalesce(new.raw_user_meta_data ->> 'org_name', 'x'));
                                  return new;
                                end $$"""), Set.of("S1.1", "S1.3")),
                new Mutant("has RLS disabled on one table", "SQL: calendar_events without RLS",
                        () -> sql("alter table public.calendar_events no force row level security; "
                                + "alter table public.calendar_events disable row level security"), Set.of("S4.1")),
                new Mutant("has a SELECT policy USING (true)", "SQL: a permissive select policy on appointments",
                        () -> sql("create policy \"everyone sees appointments\" on public.appointments for select to authenticated using (true)"),
                        Set.of("S4.1", "S1.4")),
                new Mutant("has an INSERT policy whose WITH CHECK does not check the org", "SQL: with check (true) on appointments",
                        () -> sql("""
                                drop policy "members book only into their own organization" on public.appointments;
                                create policy "members book" on public.appointments for insert to authenticated with check (true)"""),
                        Set.of("S4.2")),
                new Mutant("has an audit function that writes nothing", "SQL: record_audit returns an id and inserts nothing",
                        () -> sql("""
                                create or replace function public.record_audit(action text, target_org_id uuid, status text,
                                  details jsonb default '{}'::jsonb) returns uuid language sql security definer
                                  set search_path = '' as $$ select gen_random_uuid() $$"""), Set.of("S4.6", "S2.4")),
                new Mutant("searches with the service role and no org filter", "KnowledgeStore: escalates to service_role, drops org_id",
                        () -> EmbeddedTarget.builder().withParts(p -> p.withKnowledge(new ServiceRoleSearch())), Set.of("S3.2")),
                new Mutant("shares LLM conversation memory across clinics", "ChatModel: appends earlier prompts",
                        () -> EmbeddedTarget.builder().withParts(p -> p.withChat(new SharedMemoryChat(p.chat()))), Set.of("S3.5")),
                new Mutant("answers refusals with HTTP statuses, which Vapi ignores", "certified as vapi, started with VAPI_REFUSALS=status",
                        () -> EmbeddedTarget.builder().withProfile(Profile.VAPI)
                                .withServerSetting(ServerConfig.VAPI_REFUSALS, "status"), Set.of("V1.1")),
                Mutant.fronted("answers only the first tool call of a message", "front: drops every call but the first",
                        MutantFront.Rewrite.firstCallOnly(), "V1.2"),
                Mutant.fronted("answers with line breaks in results", "front: a line break after every sentence",
                        MutantFront.Rewrite.lineBreaksInResults(), "V1.3"),
                new Mutant("refuses messages over 64 KiB", "VAPI_MAX_MESSAGE_BYTES=65536 (the old limit)",
                        () -> EmbeddedTarget.builder().withProfile(Profile.VAPI)
                                .withServerSetting(ServerConfig.VAPI_MAX_MESSAGE_BYTES, "65536"), Set.of("V1.4")),
                Mutant.fronted("speaks times in UTC", "front: every scheduled_at converted to UTC before the server sees it",
                        MutantFront.Rewrite.scheduledAtInUtc(), "V1.5"),
                new Mutant("gives a token for any secret", "VapiCredentials: every secret matches",
                        () -> EmbeddedTarget.builder().withParts(p -> p.withCredentials(
                                new VapiCredentials(p.database(), Clock.systemUTC()) {
                                    @Override
                                    protected boolean secretMatches(String secret, String storedSha256) {
                                        return true;
                                    }
                                })), Set.of("V2.1")),
                new Mutant("never refuses the tokens of a revoked credential", "VapiCredentials: revoked() is always false",
                        () -> EmbeddedTarget.builder().withParts(p -> p.withCredentials(
                                new VapiCredentials(p.database(), Clock.systemUTC()) {
                                    @Override
                                    public boolean revoked(UUID credentialId) {
                                        return false;
                                    }
                                })), Set.of("V2.2")),
                new Mutant("lets the anon key read a tenant table", "SQL: grant select on knowledge_base to anon",
                        () -> sql("grant select on public.knowledge_base to anon"), Set.of("P1.1")),
                new Mutant("lets members truncate appointments", "SQL: grant truncate on appointments to authenticated",
                        () -> sql("grant truncate on public.appointments to authenticated"), Set.of("P1.2")),
                new Mutant("publishes a security definer view of appointments", "SQL: a view without security_invoker",
                        () -> sql("create view public.appointment_overview as select id, org_id, patient_name "
                                + "from public.appointments; grant select on public.appointment_overview to authenticated"),
                        Set.of("P1.3")),
                new Mutant("has an UPDATE policy whose WITH CHECK does not check the org", "SQL: with check (org_id is not null) on knowledge_base",
                        () -> sql("""
                                drop policy "members update only knowledge of their own organization" on public.knowledge_base;
                                create policy "members update knowledge" on public.knowledge_base for update to authenticated
                                  using (org_id = (select auth.jwt() ->> 'org_id')::uuid) with check (org_id is not null)"""),
                        Set.of("P1.4")),
                new Mutant("has a tenant table of its own without RLS", "SQL: an org_id table the contract does not describe, RLS off",
                        () -> sql("create table public.idempotency_log (key text primary key, org_id uuid not null "
                                + "references public.organizations (id))"), Set.of("S4.1")),
                new Mutant("keeps cancelled appointments in the overlap exclusion", "SQL: the exclusion without where status = 'booked'",
                        () -> sql("alter table public.appointments drop constraint appointments_no_overlap; "
                                + "alter table public.appointments add constraint appointments_no_overlap exclude using gist "
                                + "(provider_id with =, tstzrange(scheduled_at, ends_at, '[)') with &&)"), Set.of("P1.5")),
                Mutant.fronted("signs out without revoking the session", "front: answers /auth/v1/logout 204, forwards nothing",
                        MutantFront.Rewrite.signOutIgnored(), "P1.6"),
                Mutant.fronted("has a gateway that forwards a Bearer sb_ key", "front: Authorization: Bearer sb_… becomes "
                        + "the apikey", MutantFront.Rewrite.bearerKeyForwarded(), "P1.7"),
                new Mutant("serves /user to a signed-out session", "AuthSessions.alive: every session is alive",
                        () -> EmbeddedTarget.builder().withParts(p -> p.withAuthSessions(new EverySessionAlive())),
                        Set.of("P1.8")),
                new Mutant("keeps a refresh family alive after a reuse", "AuthSessions.revokeFamily does nothing",
                        () -> EmbeddedTarget.builder().withParts(p -> p.withAuthSessions(new FamilySurvivesReuse())),
                        Set.of("P1.9")),
                new Mutant("has a token hook that takes the org from user_metadata", "SQL: custom_access_token_hook prefers "
                        + "claims.user_metadata.org_id", () -> sql("""
                                create or replace function public.custom_access_token_hook(event jsonb) returns jsonb
                                language plpgsql stable security definer set search_path = '' as $$
                                declare
                                  claims jsonb := coalesce(event -> 'claims', '{}'::jsonb);
                                  member record;
                                begin
                                  select p.org_id, p.role into member from public.profiles p
                                  where p.id = nullif(event ->> 'user_id', '')::uuid;
                                  if found then
                                    claims := claims || jsonb_build_object(
                                      'org_id', coalesce(claims -> 'user_metadata' ->> 'org_id', member.org_id::text),
                                      'user_role', coalesce(claims -> 'user_metadata' ->> 'user_role', member.role));
                                  end if;
                                  return jsonb_build_object('claims', claims);
                                end $$"""), Set.of("P2.1")),
                new Mutant("has a signup trigger that joins the org named in the signup's data", "SQL: handle_new_user reads "
                        + "raw_user_meta_data.org_id", () -> sql("""
                                create or replace function public.handle_new_user() returns trigger
                                language plpgsql security definer set search_path = '' as $$
                                declare
                                  named_org uuid := coalesce(nullif(new.raw_app_meta_data ->> 'org_id', ''),
                                                             nullif(new.raw_user_meta_data ->> 'org_id', ''))::uuid;
                                  new_org uuid;
                                begin
                                  if named_org is not null then
                                    insert into public.profiles (id, org_id, email, full_name, role)
                                    values (new.id, named_org, new.email, new.raw_user_meta_data ->> 'full_name', 'staff');
                                    return new;
                                  end if;
                                  insert into public.organizations (name)
                                  values (coalesce(nullif(btrim(new.raw_user_meta_data ->> 'org_name'), ''), new.email))
                                  returning id into new_org;
                                  insert into public.profiles (id, org_id, email, full_name, role)
                                  values (new.id, new_org, new.email, new.raw_user_meta_data ->> 'full_name', 'admin');
                                  return new;
                                end $$"""), Set.of("P2.2")),
                new Mutant("has a SELECT policy that trusts user_metadata", "SQL: a permissive policy on "
                        + "auth.jwt() -> 'user_metadata' ->> 'org_id'", () -> sql("""
                                create policy "members see appointments of their metadata's org" on public.appointments
                                  for select to authenticated
                                  using (org_id = ((select auth.jwt()) -> 'user_metadata' ->> 'org_id')::uuid)"""),
                        Set.of("P2.4")),
                misreads("gives up on Google's rate limits", "a usage-limit 403 read as permanent",
                        (operation, status, reason) -> status == 403 ? GoogleAnswer.PERMANENT : null, "X5.4"),
                misreads("counts Google's 409 duplicate as a failure", "409 to an insert read as permanent",
                        (operation, status, reason) -> status == 409 ? GoogleAnswer.PERMANENT : null, "X5.5"),
                misreads("counts a delete of an event already gone as a failure", "404 to a delete read as permanent",
                        (operation, status, reason) -> operation == GoogleAnswer.Operation.DELETE && status == 404
                                ? GoogleAnswer.PERMANENT : null, "X5.6"),
                misreads("retries Google's permanent refusals without end", "every 403 read as retryable",
                        (operation, status, reason) -> status == 403 ? GoogleAnswer.RETRY : null, "X5.7"),
                misreads("gives up when Google's access token expires", "401 read as permanent",
                        (operation, status, reason) -> status == 401 ? GoogleAnswer.PERMANENT : null, "X5.8"),
                new Mutant("has one permissive DELETE policy beside the org's", "SQL: using (org_id is not null) for delete "
                        + "on knowledge_base (not literally true, so P1.3's catalog check misses it)",
                        () -> sql("create policy \"members tidy knowledge\" on public.knowledge_base for delete to authenticated "
                                + "using (org_id is not null)"), Set.of("P3.2")),
                new Mutant("publishes a definer view of appointments (found by trying it)", "SQL: a view without security_invoker",
                        () -> sql("create view public.appointment_overview as select id, org_id, patient_name "
                                + "from public.appointments; grant select on public.appointment_overview to authenticated"),
                        Set.of("P3.2")),
                new Mutant("lets members call a definer function that counts any org's bookings", "SQL: a SECURITY DEFINER "
                        + "function granted to authenticated", () -> sql("""
                                create function public.clinic_booking_count(org uuid) returns bigint
                                language sql stable security definer set search_path = '' as $$
                                  select count(*) from public.appointments where org_id = org $$;
                                grant execute on function public.clinic_booking_count(uuid) to authenticated"""),
                        Set.of("P3.3")),
                new Mutant("lets members call the audit writer", "SQL: grant execute on record_audit to authenticated",
                        () -> sql("grant execute on function public.record_audit(text, uuid, text, jsonb) to authenticated"),
                        Set.of("P3.3")),
                new Mutant("locks only the exact start, then checks for overlaps and inserts", "AppointmentStore: an advisory "
                        + "lock per (provider, start) instead of per quarter; SQL: no exclusion constraint",
                        () -> sql("alter table public.appointments drop constraint appointments_no_overlap")
                                .withParts(p -> p.withAppointments(new ExactStartLock())), Set.of("X6.1"), 3),
                new Mutant("answers a resent call anew once its first booking was cancelled", "AppointmentStore: the replay "
                        + "lookup sees booked rows only; SQL: toolCallIds unique among booked rows only",
                        () -> sql("alter table public.appointments drop constraint appointments_tool_call_once; "
                                + "create unique index appointments_tool_call_once_booked on public.appointments "
                                + "(org_id, vapi_tool_call_id) where status = 'booked'")
                                .withParts(p -> p.withAppointments(new ReplaysBookedOnly())), Set.of("X6.1"), 3),
                new Mutant("frees the slot before its cancel commits, then answers that it failed", "AppointmentStore: cancel "
                        + "commits the status change, then refuses with 409", () -> EmbeddedTarget.builder()
                        .withParts(p -> p.withAppointments(new CancelCommittedEarly())), Set.of("X6.1"), 3),
                new Mutant("acknowledges a contended booking before it commits", "front: a conflict refused while another "
                        + "start of the same provider was in flight is answered as booked", () -> EmbeddedTarget.builder()
                        .withProfile(Profile.VAPI), Set.of("X6.1"), 3, Optional.of(MutantFront.Rewrite.acknowledgedBeforeItsCommit())),
                new Mutant("waits for Google before answering Vapi", "CALENDAR_SYNC_BUDGET_MS and CALENDAR_HTTP_TIMEOUT_MS "
                        + "of 30 s", () -> EmbeddedTarget.builder()
                        .withServerSetting(ServerConfig.CALENDAR_SYNC_BUDGET_MS, "30000")
                        .withServerSetting(ServerConfig.CALENDAR_HTTP_TIMEOUT_MS, "30000"), Set.of("V1.6")),
                signatures("compares Vapi's signature as a string in another encoding", "base64 of the HMAC against the hex "
                        + "Vapi sends", database -> new VapiCredentials(database, Clock.systemUTC()) {
                            @Override
                            protected boolean signatureMatches(SignaturePlan plan, byte[] expected, String presented) {
                                return java.util.Base64.getEncoder().encodeToString(expected).equals(presented);
                            }
                        }, "V3.1"),
                signatures("accepts a request without a signature", "no signature required of a named HMAC credential",
                        database -> new VapiCredentials(database, Clock.systemUTC()) {
                            @Override
                            protected boolean signatureRequired() {
                                return false;
                            }
                        }, "V3.2"),
                signatures("keeps no timestamp window", "every signed timestamp is fresh",
                        database -> new VapiCredentials(database, Clock.systemUTC()) {
                            @Override
                            protected boolean fresh(SignaturePlan plan, long timestamp) {
                                return true;
                            }
                        }, "V3.3"),
                signatures("verifies the re-serialized JSON, not the bytes received", "the payload is the body parsed and "
                        + "written again", database -> new VapiCredentials(database, Clock.systemUTC()) {
                            @Override
                            protected byte[] signedPayload(SignaturePlan plan, String timestamp, byte[] body) {
                                try {
                                    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
                                    return super.signedPayload(plan, timestamp, mapper.writeValueAsBytes(mapper.readTree(body)));
                                } catch (java.io.IOException e) {
                                    return super.signedPayload(plan, timestamp, body);
                                }
                            }
                        }, "V3.4"),
                new Mutant("accepts a minute of exp leeway", "TokenVerifier: 60 s of leeway (the contract allows 30)",
                        () -> EmbeddedTarget.builder().withPartsFor((p, config) ->
                                p.withTokens(new TokenVerifier(config.verificationKeys(config.signingKey()), 60L))),
                        Set.of("P3.4")));
    }

    /** The reference server whose Vapi credentials check HMAC signatures wrongly in one way (V3, under --vapi-auth hmac). */
    private static Mutant signatures(String name, String how,
                                     java.util.function.Function<clinic.conformance.server.db.Database, VapiCredentials> wrong,
                                     String mustFail) {
        return new Mutant(name, "VapiCredentials: " + how, () -> EmbeddedTarget.builder()
                .withParts(p -> p.withCredentials(wrong.apply(p.database()))), Set.of(mustFail));
    }

    /** One answer of Google's read the wrong way; null leaves the answer to the real reading. */
    @FunctionalInterface
    interface Misreading {
        GoogleAnswer read(GoogleAnswer.Operation operation, int status, String reason);
    }

    /** The reference server whose Google Calendar client misreads one of Google's documented answers (X5.4–X5.8). */
    private static Mutant misreads(String name, String how, Misreading misreading, String mustFail) {
        return new Mutant(name, "GoogleCalendarClient: " + how, () -> EmbeddedTarget.builder().withPartsFor((p, config) ->
                p.withCalendar(new GoogleCalendarClient(config.googleCalendarBaseUrl(),
                        ReferenceServer.Parts.googleToken(config), config.calendarHttpTimeout(), Json.mapper()) {
                    @Override
                    protected GoogleAnswer read(GoogleAnswer.Operation operation, int status, String reason) {
                        GoogleAnswer wrong = misreading.read(operation, status, reason);
                        return wrong != null ? wrong : super.read(operation, status, reason);
                    }
                })), Set.of(mustFail));
    }

    /** The reference server whose token verifier makes one wrong choice of key (X1.24–X1.30). */
    private static Mutant keyChoice(String name, String how,
                                    java.util.function.BiFunction<com.nimbusds.jwt.SignedJWT, com.nimbusds.jose.jwk.JWKSet,
                                            Optional<com.nimbusds.jose.JWSVerifier>> choice, String mustFail) {
        return new Mutant(name, "TokenVerifier: " + how, () -> EmbeddedTarget.builder().withPartsFor((p, config) ->
                p.withTokens(WrongKeyChoices.deviating(config, choice))), Set.of(mustFail));
    }

    private static EmbeddedTarget.Builder sql(String change) {
        return EmbeddedTarget.builder().withDatabaseChange(change);
    }
}
