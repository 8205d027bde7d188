package clinic.conformance.architecture;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class CycleProbeTest {
    @Test
    void probe() throws Exception {
        var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("clinic.conformance");
        var edges = new java.util.TreeSet<String>();
        for (var c : classes) {
            for (var d : c.getDirectDependenciesFromSelf()) {
                String from = d.getOriginClass().getPackageName(), to = d.getTargetClass().getPackageName();
                if (to.startsWith("clinic.conformance") && !from.equals(to)) {
                    edges.add(from + " " + to + " " + d.getOriginClass().getSimpleName() + "->" + d.getTargetClass().getSimpleName());
                }
            }
        }
        java.nio.file.Files.write(java.nio.file.Path.of("/tmp/edges.txt"), edges);
    }
}
