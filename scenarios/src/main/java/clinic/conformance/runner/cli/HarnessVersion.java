package clinic.conformance.runner.cli;

/** The harness's version and commit, stamped into the runner jar's manifest by the build. */
public record HarnessVersion(String version, String commit) {
    public static HarnessVersion current() {
        Package p = HarnessVersion.class.getPackage();
        String version = p.getImplementationVersion();
        String commit = null;
        try (var manifest = HarnessVersion.class.getResourceAsStream("/META-INF/MANIFEST.MF")) {
            if (manifest != null) {
                commit = new java.util.jar.Manifest(manifest).getMainAttributes().getValue("Implementation-Build");
            }
        } catch (java.io.IOException ignored) {
            // a missing stamp is reported as unknown
        }
        return new HarnessVersion(version == null ? "development" : version,
                commit == null || commit.isBlank() ? "unknown" : commit);
    }

    @Override
    public String toString() {
        return version + " (" + commit + ")";
    }
}
