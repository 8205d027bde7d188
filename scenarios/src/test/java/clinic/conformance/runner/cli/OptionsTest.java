package clinic.conformance.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OptionsTest {
    @Test
    void valuesFlagsAndEqualsFormsAreRead() {
        var options = Options.parse(new String[] {"certify", "--target-url", "http://t", "--extended", "--db-url=jdbc:x"});
        assertThat(options.command()).isEqualTo("certify");
        assertThat(options.get("target-url")).contains("http://t");
        assertThat(options.get("db-url")).contains("jdbc:x");
        assertThat(options.flag("extended")).isTrue();
    }

    @Test
    void aConfigFileFillsWhatTheCommandLineLeavesOut(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var file = dir.resolve("staging.properties");
        java.nio.file.Files.writeString(file, "target-url=https://staging\ndb-url=jdbc:x\nextended=true\nonly=S2\n");
        var options = Options.parse(new String[] {"certify", "--config", file.toString(), "--only", "S4"});
        assertThat(options.get("target-url")).contains("https://staging");
        assertThat(options.flag("extended")).isTrue();
        assertThat(options.get("only")).as("the command line wins").contains("S4");

        java.nio.file.Files.writeString(file, "jwt-secret=oops\n");
        assertThatThrownBy(() -> Options.parse(new String[] {"certify", "--config", file.toString()}))
                .isInstanceOf(UsageError.class).hasMessageContaining("jwt-secret");
    }

    @Test
    void unknownOptionsAndMissingValuesAreUsageErrors() {
        assertThatThrownBy(() -> Options.parse(new String[] {"certify", "--no-such-flag", "1"}))
                .isInstanceOf(UsageError.class).hasMessageContaining("--no-such-flag");
        assertThatThrownBy(() -> Options.parse(new String[] {"certify", "--target-url"}))
                .isInstanceOf(UsageError.class).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Options.parse(new String[] {"certify", "stray"})).isInstanceOf(UsageError.class);
    }

    @Test
    void theLauncherIsToldWhetherTheLocalPostgresIsNeeded(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        var config = dir.resolve("staging.properties");
        java.nio.file.Files.writeString(config, "target-url=https://staging\ndb-url=jdbc:x\n");
        assertThat(Options.parse(new String[] {"certify"}, java.util.Map.of()).usesLocalPostgres()).isTrue();
        assertThat(Options.parse(new String[] {"certify", "--config", config.toString()}, java.util.Map.of())
                .usesLocalPostgres()).as("a --config file's target").isFalse();
        assertThat(Options.parse(new String[] {"certify"}, java.util.Map.of("CONFORMANCE_DB_URL", "jdbc:x"))
                .usesLocalPostgres()).as("the environment's database server").isFalse();
        assertThat(Options.parse(new String[] {"serve"}, java.util.Map.of("DATABASE_URL", "jdbc:x"))
                .usesLocalPostgres()).as("serve with its own DATABASE_URL").isFalse();
        assertThat(Options.parse(new String[] {"doctor", "--target-url", "http://t"}, java.util.Map.of())
                .usesLocalPostgres()).isFalse();
    }
}
