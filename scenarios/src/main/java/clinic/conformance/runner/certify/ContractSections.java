package clinic.conformance.runner.certify;

import io.qameta.allure.listener.TestLifecycleListener;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.TestResult;

/**
 * Puts on every check's Allure result the contract section its scenario enforces (from the {@link Catalogue}): a tag a
 * reviewer can filter by, and the whole traced requirement at the head of the description. Loaded by Allure through
 * {@code META-INF/services}.
 */
public final class ContractSections implements TestLifecycleListener {
    private static final String ALLURE_ID_LABEL = "AS_ID";

    @Override
    public void beforeTestStop(TestResult result) {
        result.getLabels().stream().filter(label -> ALLURE_ID_LABEL.equals(label.getName())).findFirst()
                .flatMap(label -> Catalogue.contractOf(label.getValue())).ifPresent(contract -> {
                    String section = contract.contains(":") ? contract.substring(0, contract.indexOf(':')) : contract;
                    result.getLabels().add(new Label().setName("tag").setValue("contract " + section));
                    String description = result.getDescription() == null || result.getDescription().isBlank() ? ""
                            : "\n\n" + result.getDescription();
                    result.setDescription("Contract: " + contract + description);
                });
    }
}
