package clinic.conformance.embedded.runner;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.embedded.EmbeddedTarget;
import clinic.conformance.fixtures.report.Evidence;
import clinic.conformance.fixtures.run.Run;
import clinic.conformance.fixtures.run.RunOptions;
import clinic.conformance.fixtures.stub.EmbeddingsMock;
import clinic.conformance.fixtures.stub.MockAdmin;
import clinic.conformance.fixtures.target.Profile;
import clinic.conformance.fixtures.target.Target;
import clinic.conformance.runner.certify.Certification;
import clinic.conformance.runner.certify.ScenarioStatus;
import clinic.conformance.runner.certify.Selection;
import clinic.conformance.runner.certify.Summary;
import clinic.conformance.server.auth.TokenVerifier;
import clinic.conformance.server.config.ServerConfig;
import com.nimbusds.jwt.JWTClaimsSet;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A target that differs from the reference server wherever the contract allows (docs/requirements-for-targets.md
 * decides): its own extra tenant table, correctly isolated and unknown to the harness, plain foreign keys without
 * cascade, and each behaviour contract §1 v3 leaves open taken the other way. The harness must certify it clean in
 * both profiles — reading the database through a role that sees only the declared requirements — and leave nothing
 * behind.
 */
@DisplayName("Certify a second implementation: what the contract allows, the harness accepts")
class AlternativeTargetIT {
    /**
     * The target's own idempotency log: a tenant table the contract does not describe, isolated as it should be; and a
     * helper function of its own, executable by the API roles as Supabase's default privileges make every function.
     */
    static final String EXTRA_TABLE = """
            create table public.idempotency_log (
              key text primary key,
              org_id uuid not null references public.organizations (id),
              seen_at timestamptz not null default now());
            alter table public.idempotency_log enable row level security;
            alter table public.idempotency_log force row level security;
            revoke all on public.idempotency_log from anon, authenticated, service_role;
            grant select, insert on public.idempotency_log to authenticated;
            create policy "members see their org's keys" on public.idempotency_log for select to authenticated
              using (org_id = (select auth.jwt() ->> 'org_id')::uuid);
            create policy "members add their org's keys" on public.idempotency_log for insert to authenticated
              with check (org_id = (select auth.jwt() ->> 'org_id')::uuid);
            create function public.slot_minutes(starts timestamptz, ends timestamptz) returns integer
              language sql immutable as $$ select (extract(epoch from ends - starts) / 60)::integer $$""";

    /** Every foreign key in public that cascades, made plain (NO ACTION), as the seed guide writes them. */
    static final String PLAIN_FOREIGN_KEYS = """
            do $$
            declare fk record;
            begin
              for fk in select c.conname, c.conrelid::regclass as tab, pg_get_constraintdef(c.oid) as def
                        from pg_constraint c join pg_namespace n on n.oid = c.connamespace
                        where c.contype = 'f' and n.nspname = 'public' and c.confdeltype = 'c' loop
                execute format('alter table %s drop constraint %I', fk.tab, fk.conname);
                execute format('alter table %s add constraint %I %s', fk.tab, fk.conname,
                               replace(fk.def, ' ON DELETE CASCADE', ''));
              end loop;
            end $$""";

    /**
     * The alternative target: the schema differences above, and every behaviour contract §1 v3 leaves open taken the
     * other way from the reference server — no audit row for a refused token, no cap on tool calls per message, a
     * token whose {@code iat} lies ahead served (only {@code nbf} is enforced), and duplicate member names read as the
     * last value.
     */
    static EmbeddedTarget.Builder alternative(Profile profile) {
        return EmbeddedTarget.builder().withProfile(profile)
                .withDatabaseChange(EXTRA_TABLE).withDatabaseChange(PLAIN_FOREIGN_KEYS)
                .withServerSetting(ServerConfig.AUDIT_REFUSED_TOKENS, "off")
                .withServerSetting(ServerConfig.VAPI_MAX_TOOL_CALLS, "0")
                .withServerSetting(ServerConfig.JSON_DUPLICATE_KEYS, "last")
                .withPartsFor((parts, config) -> parts.withTokens(new TokenVerifier(config.verificationKeys(config.signingKey())) {
                    @Override
                    protected boolean issuedInTime(JWTClaimsSet claims) {
                        var notBefore = claims.getNotBeforeTime();
                        return notBefore == null || !notBefore.toInstant().isAfter(java.time.Instant.now().plusSeconds(30));
                    }
                }));
    }

    @ParameterizedTest(name = "under the {0} profile")
    @EnumSource(Profile.class)
    void theAlternativeTargetIsCertifiedCleanThroughARoleThatSeesOnlyWhatTheRequirementsDeclare(Profile profile)
            throws Exception {
        try (var target = alternative(profile).start();
             var role = DeclaredOnlyRole.create(target.target().database())) {
            assertThat(count(target, "select count(*) from pg_constraint where contype = 'f' and confdeltype = 'c' "
                    + "and connamespace = 'public'::regnamespace")).as("cascading foreign keys in the target").isZero();
            var behind = target.target();
            var declaredOnly = new Target(behind.url(), role.url(), behind.auth(), behind.mockUrl(),
                    behind.description() + ", read through a role of the declared requirements only", behind.profile());

            // P3 reads every relation the Data API publishes, whole: its point is what a list of requirements misses.
            // What varies here is schema and behaviour, not vector search: S3.4 runs on a smaller corpus
            Summary summary = certify(declaredOnly, "alternative-" + profile.name().toLowerCase(), 1000, true,
                    Selection.parse(null, "P3"));
            if (profile == Profile.SEED) {
                Summary surface = certify(behind, "alternative-surface", RunOptions.DEFAULT_CORPUS_CHUNKS, true,
                        Selection.parse("P3", null));
                assertThat(surface.unexpectedFailures()).as("P3 on the alternative target's own tables and functions").isEmpty();
                assertThat(surface.count(ScenarioStatus.PASSED)).as("P3.1-P3.4 passed").isEqualTo(4);
            }

            assertThat(summary.unexpectedFailures()).as("scenarios the alternative target failed (a 42501 in a message "
                    + "names something a check read that the requirements do not declare)").isEmpty();
            assertThat(summary.count(ScenarioStatus.PASSED)).as("checks passed").isGreaterThan(80);
            assertThat(summary.warnings()).as("cleanup warnings").isEmpty();
            assertThat(count(target, "select (select count(*) from public.organizations) + (select count(*) from "
                    + "auth.users) + (select count(*) from public.appointments)"))
                    .as("organizations, users and appointments left by the harness").isZero();
        }
    }

    @Test
    void aTargetThatEmbedsThroughAnOpenAiCompatibleApiIsCertifiedWithTheMocksEmbeddings() throws Exception {
        // the embeddings base URL is the mock's /v1 in the embedded default: the harness's stub answers there
        try (var target = EmbeddedTarget.builder()
                .withServerSetting(ServerConfig.EMBEDDINGS_PROVIDER, "openai")
                .withServerSetting(ServerConfig.EMBEDDINGS_MODEL, "text-embedding-3-small").start()) {
            Summary summary = certify(target.target(), "openai-embeddings", RunOptions.DEFAULT_CORPUS_CHUNKS, false,
                    Selection.parse("S3", null));

            assertThat(summary.unexpectedFailures()).as("S3 with the mock's embeddings").isEmpty();
            assertThat(summary.count(ScenarioStatus.PASSED)).as("S3.1-S3.5 passed").isEqualTo(5);
            var mock = MockAdmin.at(target.target().mockUrl().orElseThrow());
            assertThat(mock.find(MockAdmin.postTo(EmbeddingsMock.EMBEDDINGS_PATH)))
                    .as("embeddings requests the target sent to the mock").isNotEmpty();
        }
    }

    private static long count(EmbeddedTarget target, String sql) throws Exception {
        try (var connection = target.target().database().connect(); var statement = connection.createStatement();
             var rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Summary certify(Target target, String version, int corpusSize, boolean extended, Selection selection)
            throws java.io.IOException {
        var run = new Run(target, RunOptions.defaults(Files.createTempDirectory("reports-alt")).withCorpusSize(corpusSize),
                new Evidence());
        return Certification.of(run, version).withoutHtmlReport().selecting(selection, extended)
                .run(new PrintStream(OutputStream.nullOutputStream()));
    }
}
