package clinic.conformance.runner.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RequirementsTest {
    @Test
    void docsRequirementsForTargetsListsEveryRequirementWithItsContractSection() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "requirements-for-targets.md"));
        for (Requirement requirement : Requirements.ALL) {
            assertThat(docs).as("docs/requirements-for-targets.md lists %s", requirement.name())
                    .contains("| `" + requirement.name() + "` | " + requirement.section() + " |");
        }
    }

    @Test
    void aMissingPieceIsOneLineNamingItsContractSection() {
        var requirement = new Requirement(Requirement.Kind.COLUMN, "public.appointments.vapi_call_id", "§2", "S2.8");
        assertThat(requirement.missing()).isEqualTo(
                "missing column public.appointments.vapi_call_id (contract §2; needed by S2.8)");
    }
}
