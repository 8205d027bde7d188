package clinic.conformance.runner.certify;

import io.qameta.allure.AllureId;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGenerator;

/**
 * Names each check after its catalogued scenario: {@code "S2.1 a booking succeeds under budget, …"}, the ID and the
 * wording written once, in the {@link Catalogue}. A check carries only its {@code @AllureId}; where one ID has several
 * checks, each says what it checks with its own {@code @DisplayName}, which JUnit prefers to this.
 */
public final class CatalogueDisplayNames implements DisplayNameGenerator {
    private static final DisplayNameGenerator STANDARD = new DisplayNameGenerator.Standard();

    @Override
    public String generateDisplayNameForClass(Class<?> testClass) {
        return STANDARD.generateDisplayNameForClass(testClass);
    }

    @Override
    public String generateDisplayNameForNestedClass(List<Class<?>> enclosingInstanceTypes, Class<?> nestedClass) {
        return STANDARD.generateDisplayNameForNestedClass(enclosingInstanceTypes, nestedClass);
    }

    @Override
    public String generateDisplayNameForMethod(List<Class<?>> enclosingInstanceTypes, Class<?> testClass,
                                               Method testMethod) {
        AllureId id = testMethod.getAnnotation(AllureId.class);
        return id == null ? STANDARD.generateDisplayNameForMethod(enclosingInstanceTypes, testClass, testMethod)
                : Catalogue.find(id.value()).map(scenario -> scenario.id() + " " + scenario.name())
                .orElse(id.value() + " " + testMethod.getName());
    }
}
