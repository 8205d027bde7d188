package clinic.conformance.embedded.server;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.embedded.EmbeddedTarget;
import clinic.conformance.fixtures.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The real {@code @supabase/supabase-js} client (installed by {@code ./harness test} with {@code npm ci}) against the
 * reference server's Supabase Auth subset: signUp, signInWithPassword, getUser, getClaims, updateUser,
 * refreshSession and signOut, a signed-out session that cannot refresh, and {@code auth.admin.createUser} with the
 * service key inviting a provider in GoTrue's insert-then-update order ({@code src/test/node}).
 */
@DisplayName("Reference server: supabase-js against /auth/v1")
class SupabaseJsIT {
    private static final Path SCRIPT_DIR = Path.of("src", "test", "node").toAbsolutePath();

    @Test
    void theRealSupabaseClientSignsUpInOutAndCannotRefreshASignedOutSession() throws Exception {
        assertThat(SCRIPT_DIR.resolve("node_modules/@supabase/supabase-js")).as("installed by ./harness test "
                + "(npm ci --prefix embedded/src/test/node)").isDirectory();
        try (var target = EmbeddedTarget.start()) {
            var fx = Fixtures.forTarget(target.target());
            var clinic = fx.seed().clinic("Inviting clinic").insert();
            String invited = "invited-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@example.test";
            String serviceKey = target.target().auth().serviceKey().orElseThrow();
            Path log = Files.createTempFile("supabase-js", ".log");
            var node = new ProcessBuilder("node", "--test", "supabase-js.test.mjs").directory(SCRIPT_DIR.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            node.environment().put("SUPABASE_URL", target.target().url().toString());
            node.environment().put("SERVICE_KEY", serviceKey);
            node.environment().put("ANON_KEY", target.target().auth().anonKey().orElseThrow());
            node.environment().put("ORG_ID", clinic.id().toString());
            node.environment().put("INVITED_EMAIL", invited);
            Process process = node.start();
            assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("node finished").isTrue();
            String output = Files.readString(log);

            assertThat(process.exitValue()).as("node --test exit code; output:%n%s", output).isZero();
            assertThat(output).contains("# pass 2").contains("# fail 0");
            // GoTrue's admin API inserts, then writes app_metadata: the invite must land in the inviting clinic
            assertThat(fx.database().rows("select p.org_id, p.role from public.profiles p join auth.users u using (id) "
                    + "where u.email = ?", invited)).as("the invited member's profile").singleElement()
                    .satisfies(row -> {
                        assertThat(row.get("org_id")).isEqualTo(clinic.id());
                        assertThat(row.get("role")).isEqualTo("provider");
                    });
        }
    }

    @Test
    void aProjectOf2026WithPublishableKeysAndConfirmationOnKillsSignedOutSessions() throws Exception {
        try (var target = EmbeddedTarget.builder().withServerSetting("AUTH_EMAIL_CONFIRMATION", "on").start()) {
            var auth = target.target().auth();
            assertThat(auth.anonKey().orElseThrow()).as("the embedded default's anon key").startsWith("sb_publishable_");
            Path log = Files.createTempFile("supabase-js-2026", ".log");
            var node = new ProcessBuilder("node", "--test", "supabase-js-2026.test.mjs").directory(SCRIPT_DIR.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            node.environment().put("SUPABASE_URL", target.target().url().toString());
            node.environment().put("PUBLISHABLE_KEY", auth.anonKey().orElseThrow());
            node.environment().put("SECRET_KEY", auth.serviceKey().orElseThrow());
            Process process = node.start();
            assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("node finished").isTrue();
            String output = Files.readString(log);

            assertThat(process.exitValue()).as("node --test exit code; output:%n%s", output).isZero();
            assertThat(output).contains("# pass 2").contains("# fail 0");
        }
    }
}
