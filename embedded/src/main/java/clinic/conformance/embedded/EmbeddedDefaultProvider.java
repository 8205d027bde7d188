package clinic.conformance.embedded;

import clinic.conformance.fixtures.target.EmbeddedDefault;
import clinic.conformance.fixtures.vapi.Profile;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;

/** The {@link EmbeddedDefault} the runner finds through {@link java.util.ServiceLoader} when this module is present. */
public final class EmbeddedDefaultProvider implements EmbeddedDefault {
    @Override
    public Running start(Optional<String> postgresServer, Profile profile, Map<String, String> serverSettings) {
        return EmbeddedTarget.builder().withPostgresServer(postgresServer).withProfile(profile)
                .withServerSettings(serverSettings).start();
    }

    @Override
    public int serve(Optional<String> postgresServer, Optional<String> port, PrintStream out) {
        return new ServeCommand(System.getenv(), out).run(postgresServer, port);
    }
}
