package clinic.conformance.embedded.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import clinic.conformance.runner.certify.Certification;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The rules of docs/architecture.md, as tests on the main code of every module: which way the arrows between
 * modules and packages run, where configuration is read, and that no static state carries a run's results.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("docs/architecture.md: the arrows run one way")
class ArchitectureTest {
    private static final String SERVER = "clinic.conformance.server..";
    private static final String FIXTURES = "clinic.conformance.fixtures..";
    private static final String CHECKS = "clinic.conformance.scenarios..";
    private static final String RUNNER = "clinic.conformance.runner..";
    private static final String EMBEDDED = "clinic.conformance.embedded..";
    private static final String LOAD = "clinic.conformance.load..";
    /** Static state that carries no result: a process-wide counter of fresh days, and JMH's hand-over of the target. */
    private static final Set<String> STATIC_STATE_ALLOWED = Set.of(
            "clinic.conformance.fixtures.seed.Slots.NEXT",
            "clinic.conformance.scenarios.benchmarks.BenchmarkTarget.current");
    private JavaClasses main;

    @BeforeAll
    void importMainCode() {
        // JMH's generated benchmark classes are JMH's code, not ours
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/jmh_generated/"))
                .importPackages("clinic.conformance");
    }

    @Test
    @DisplayName("every module's main code is imported (the rules below are not vacuous)")
    void everyModuleIsSeen() {
        for (String pkg : new String[] {"server", "fixtures", "scenarios", "runner", "embedded", "load"}) {
            org.assertj.core.api.Assertions.assertThat(main.stream()
                    .anyMatch(c -> c.getPackageName().startsWith("clinic.conformance." + pkg))).as(pkg).isTrue();
        }
    }

    @Test
    @DisplayName("no package cycle in main code")
    void noPackageCycles() {
        slices().matching("clinic.conformance.(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    @DisplayName("the reference server knows nothing of the harness")
    void theServerStandsAlone() {
        noClasses().that().resideInAPackage(SERVER).should().dependOnClassesThat()
                .resideInAnyPackage(FIXTURES, CHECKS, RUNNER, EMBEDDED, LOAD).check(main);
    }

    @Test
    @DisplayName("fixtures know nothing of the checks, the runner, the embedded default or the server")
    void fixturesAreALibrary() {
        noClasses().that().resideInAPackage(FIXTURES).should().dependOnClassesThat()
                .resideInAnyPackage(CHECKS, RUNNER, EMBEDDED, SERVER, LOAD).check(main);
    }

    @Test
    @DisplayName("checks know nothing of the runner, the embedded default or the server")
    void checksSeeOnlyTheFixtures() {
        noClasses().that().resideInAPackage(CHECKS).should().dependOnClassesThat()
                .resideInAnyPackage(RUNNER, EMBEDDED, SERVER).check(main);
    }

    @Test
    @DisplayName("the runner finds the embedded default through its service interface, never by name")
    void theRunnerCarriesNoServer() {
        noClasses().that().resideInAPackage(RUNNER).should().dependOnClassesThat()
                .resideInAnyPackage(EMBEDDED, SERVER).check(main);
    }

    @Test
    @DisplayName("nothing imports the entry point")
    void theEntryPointIsOnTop() {
        noClasses().that().doNotHaveFullyQualifiedName("clinic.conformance.runner.Harness").should()
                .dependOnClassesThat().haveFullyQualifiedName("clinic.conformance.runner.Harness").check(main);
    }

    @Test
    @DisplayName("the server's http layer knows nothing of Vapi or identity; calendar does not reach into booking")
    void theServersArrowsRunDown() {
        noClasses().that().resideInAPackage("clinic.conformance.server.http..").should().dependOnClassesThat()
                .resideInAnyPackage("clinic.conformance.server.vapi..", "clinic.conformance.server.identity..",
                        "clinic.conformance.server.audit..", "clinic.conformance.server.booking..").check(main);
        noClasses().that().resideInAPackage("clinic.conformance.server.calendar..").should().dependOnClassesThat()
                .resideInAPackage("clinic.conformance.server.booking..").check(main);
        noClasses().that().resideInAnyPackage("clinic.conformance.server.auth..", "clinic.conformance.server.db..")
                .should().dependOnClassesThat().resideInAnyPackage("clinic.conformance.server.identity..",
                        "clinic.conformance.server.vapi..", "clinic.conformance.server.booking..").check(main);
    }

    @Test
    @DisplayName("the load generator shares only its plan and figures with the runner, and knows nothing of the harness")
    void theLoadGeneratorStandsAlone() {
        noClasses().that().resideInAPackage(LOAD).should().dependOnClassesThat()
                .resideInAnyPackage(SERVER, FIXTURES, CHECKS, RUNNER, EMBEDDED).check(main);
    }

    @Test
    @DisplayName("the environment is read by the harness's one configuration reader and the server's config only")
    void oneConfigurationReader() {
        noClasses().that().doNotHaveFullyQualifiedName("clinic.conformance.runner.cli.Options")
                .and().doNotHaveFullyQualifiedName("clinic.conformance.server.config.ServerConfig")
                .and().resideOutsideOfPackage(LOAD)
                .should().callMethod(System.class, "getenv")
                .orShould().callMethod(System.class, "getenv", String.class).check(main);
    }

    @Test
    @DisplayName("no system property carries anything between the runner and the checks")
    void noSystemPropertiesBetweenRunnerAndChecks() {
        // Certification names Allure's own results directory (Allure reads nothing else); the load generator's
        // process is handed its plan that way by LoadMain
        noClasses().that().resideInAnyPackage(FIXTURES, CHECKS, RUNNER)
                .and().doNotHaveFullyQualifiedName("clinic.conformance.runner.certify.Certification")
                .should().callMethod(System.class, "setProperty", String.class, String.class).check(main);
        noClasses().that().resideInAnyPackage(FIXTURES, CHECKS)
                .should().callMethod(System.class, "getProperty", String.class)
                .orShould().callMethod(System.class, "getProperty", String.class, String.class)
                .orShould().callMethod(Long.class, "getLong", String.class, long.class)
                .orShould().callMethod(Integer.class, "getInteger", String.class, int.class).check(main);
    }

    @Test
    @DisplayName("no static mutable state in the fixtures, the checks or the runner")
    void noStaticMailboxes() {
        noFields().that().areStatic().and().areDeclaredInClassesThat().resideInAnyPackage(FIXTURES, CHECKS, RUNNER)
                .and(DescribedPredicate.describe("not on the allowed list", (JavaField field) ->
                        !STATIC_STATE_ALLOWED.contains(field.getOwner().getName() + "." + field.getName())))
                .should(beMutableState()).check(main);
    }

    private static ArchCondition<JavaField> beMutableState() {
        return new ArchCondition<>("be mutable state (not final, or an atomic or concurrent holder)") {
            @Override
            public void check(JavaField field, ConditionEvents events) {
                String type = field.getRawType().getName();
                boolean mutable = !field.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.FINAL)
                        || type.startsWith("java.util.concurrent.atomic.") || type.contains("Concurrent")
                        || type.contains("CopyOnWrite");
                if (mutable && !field.getOwner().isEnum() && !field.getName().startsWith("$")) {
                    events.add(SimpleConditionEvent.satisfied(field, field.getFullName() + " is static mutable state"));
                }
            }
        };
    }
}
