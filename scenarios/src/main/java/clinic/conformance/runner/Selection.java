package clinic.conformance.runner;

import java.util.Arrays;
import java.util.List;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.launcher.PostDiscoveryFilter;

/** {@code --only S2,S4.5} and {@code --exclude S3.4}: by scenario ID or by group (S2 means every S2.x). */
public record Selection(List<String> only, List<String> exclude) {
    public static final Selection ALL = new Selection(List.of(), List.of());

    public static Selection parse(String only, String exclude) {
        return new Selection(split(only), split(exclude));
    }

    public boolean selects(String id) {
        return (only.isEmpty() || only.stream().anyMatch(s -> matches(s, id)))
                && exclude.stream().noneMatch(s -> matches(s, id));
    }

    /**
     * Keeps the checks whose display name begins with a selected ID; JUnit then prunes empty classes. A class tagged
     * with its group (S1 … X4) is dropped whole when no selection can reach that group: its parameterized checks are
     * only named once they run, past this filter.
     */
    PostDiscoveryFilter filter() {
        return descriptor -> {
            if (!descriptor.isTest()) {
                boolean reachable = descriptor.getTags().stream().map(tag -> tag.getName())
                        .filter(tag -> tag.matches("[SX]\\d+")).allMatch(this::mayReach);
                return reachable ? FilterResult.included("container") : FilterResult.excluded("group not selected");
            }
            String id = Catalogue.idOf(descriptor.getDisplayName());
            return id == null || selects(id) ? FilterResult.included("selected") : FilterResult.excluded("not selected");
        };
    }

    private boolean mayReach(String group) {
        return (only.isEmpty() || only.stream().anyMatch(s -> s.equals(group) || s.startsWith(group + ".")))
                && !exclude.contains(group);
    }

    private static boolean matches(String selector, String id) {
        return id.equals(selector) || id.startsWith(selector + ".");
    }

    private static List<String> split(String list) {
        return list == null ? List.of() : Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
