package clinic.conformance.runner.certify;

import java.util.Arrays;
import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Tag;

/** Runs the scenario classes group by group, in the catalogue's order (S1 → S4, then the extended series). */
public final class ScenarioOrder implements ClassOrderer {
    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator.comparingInt(ScenarioOrder::groupOrder)
                .thenComparing(descriptor -> descriptor.getTestClass().getName()));
    }

    private static int groupOrder(ClassDescriptor descriptor) {
        return Arrays.stream(descriptor.getTestClass().getAnnotationsByType(Tag.class))
                .mapToInt(tag -> Catalogue.groupOrder(tag.value())).min().orElse(Integer.MAX_VALUE);
    }
}
