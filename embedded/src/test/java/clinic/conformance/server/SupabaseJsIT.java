package clinic.conformance.server;

import static org.assertj.core.api.Assertions.assertThat;

import clinic.conformance.embedded.EmbeddedTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The real {@code @supabase/supabase-js} client (installed by {@code ./harness test} with {@code npm ci}) against the
 * reference server's Supabase Auth subset: signUp, signInWithPassword, getUser, getClaims, updateUser,
 * refreshSession and signOut, and a signed-out session that cannot refresh ({@code src/test/node}).
 */
@DisplayName("Reference server: supabase-js against /auth/v1")
class SupabaseJsIT {
    private static final Path SCRIPT_DIR = Path.of("src", "test", "node").toAbsolutePath();

    @Test
    void theRealSupabaseClientSignsUpInOutAndCannotRefreshASignedOutSession() throws Exception {
        assertThat(SCRIPT_DIR.resolve("node_modules/@supabase/supabase-js")).as("installed by ./harness test "
                + "(npm ci --prefix embedded/src/test/node)").isDirectory();
        try (var target = EmbeddedTarget.start()) {
            Path log = Files.createTempFile("supabase-js", ".log");
            var node = new ProcessBuilder("node", "--test", "supabase-js.test.mjs").directory(SCRIPT_DIR.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            node.environment().put("SUPABASE_URL", target.target().url().toString());
            Process process = node.start();
            assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("node finished").isTrue();
            String output = Files.readString(log);

            assertThat(process.exitValue()).as("node --test exit code; output:%n%s", output).isZero();
            assertThat(output).contains("# pass 1").contains("# fail 0");
        }
    }
}
