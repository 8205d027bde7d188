package clinic.conformance.runner.certify;

import io.qameta.allure.AllureId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

/** {@code --only S2,S4.5} and {@code --exclude S3.4}: by scenario ID, by group (S2 means every S2.x), or by case. */
public record Selection(List<String> only, List<String> exclude) {
    public static final Selection ALL = new Selection(List.of(), List.of());

    public static Selection parse(String only, String exclude) {
        return new Selection(split(only), split(exclude));
    }

    /** Whether a reported ID (a scenario, or a family's case such as X1.3) is selected. */
    public boolean selects(String id) {
        return (only.isEmpty() || only.stream().anyMatch(s -> matches(s, id)))
                && exclude.stream().noneMatch(s -> matches(s, id));
    }

    /** Whether any of a catalogued scenario's checks can be selected (a family is reached by any of its cases). */
    boolean reaches(Catalogue.Scenario scenario) {
        String id = scenario.id();
        boolean named = only.isEmpty() || only.stream().anyMatch(s -> matches(s, id)
                || scenario.family() && s.startsWith(id + "."));
        return named && exclude.stream().noneMatch(s -> matches(s, id));
    }

    /** Keeps the checks whose annotated scenario is reached; JUnit then prunes empty classes. */
    PostDiscoveryFilter filter() {
        return descriptor -> {
            Optional<String> annotated = annotatedId(descriptor);
            if (annotated.isEmpty()) {
                return FilterResult.included("not a scenario check itself");
            }
            return Catalogue.find(annotated.get()).map(this::reaches).orElse(true)
                    ? FilterResult.included("selected") : FilterResult.excluded("not selected");
        };
    }

    private static Optional<String> annotatedId(TestDescriptor descriptor) {
        return descriptor.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                .map(source -> source.getJavaMethod().getAnnotation(AllureId.class)).map(AllureId::value);
    }

    private static boolean matches(String selector, String id) {
        return id.equals(selector) || id.startsWith(selector + ".");
    }

    private static List<String> split(String list) {
        return list == null ? List.of() : Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
