package clinic.conformance.embedded;

import clinic.conformance.fixtures.target.EmbeddedDefault;
import clinic.conformance.server.config.ServerConfig;
import java.io.PrintStream;
import java.util.Optional;

/** The {@link EmbeddedDefault} the runner finds through {@link java.util.ServiceLoader} when this module is present. */
public final class EmbeddedDefaultProvider implements EmbeddedDefault {
    @Override
    public Running start(Settings settings) {
        var builder = EmbeddedTarget.builder().withPostgresServer(settings.postgresServer())
                .withDockerHost(settings.dockerHost()).withProfile(settings.profile())
                .withMockInItsOwnProcess(settings.mockInItsOwnProcess());
        if (settings.signing() == Signing.HS256) {
            builder.withLegacySecret();
        }
        if (!settings.inlineCalendarSync()) {
            builder.withServerSetting(ServerConfig.CALENDAR_SYNC_BUDGET_MS, "0");
        }
        return builder.start();
    }

    @Override
    public int serve(Settings settings, Optional<Integer> port, PrintStream out) {
        return new ServeCommand(ServerConfig.environment(), out).run(settings, port);
    }
}
