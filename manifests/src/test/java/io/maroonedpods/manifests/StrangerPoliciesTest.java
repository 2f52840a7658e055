package io.maroonedpods.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.NamedRuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Variable;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.maroonedpods.api.Names;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The admission policies that keep strangers off dedicated nodes, as the overlays build them. What they refuse is
 * tested against the real kube-apiserver (e2e: StrangersRefusedAtAdmissionTest, MainSchedulerBindingsTest); this
 * checks the text a build ships: present and denying in every overlay, the names the rest of the project uses, and who
 * each overlay lets bind pods to dedicated nodes.
 */
class StrangerPoliciesTest {
    static final List<String> POLICIES = List.of(
            "maroonedpods-dedicated-node-name",
            "maroonedpods-dedicated-node-bindings",
            "maroonedpods-dedicated-toleration",
            "maroonedpods-provisioner-pod-deletes");
    static final String KUBE_SCHEDULER = "system:kube-scheduler";

    @Test
    void everyOverlayDeniesWithEachPolicyAndFailsClosed() {
        for (Path overlay : List.of(Repo.SECONDARY, Repo.MAIN, Repo.GATED)) {
            for (String name : POLICIES) {
                ValidatingAdmissionPolicy policy = Kustomize.find(overlay, ValidatingAdmissionPolicy.class, name);
                assertThat(policy.getSpec().getFailurePolicy()).as(name).isEqualTo("Fail");
                ValidatingAdmissionPolicyBinding binding =
                        Kustomize.find(overlay, ValidatingAdmissionPolicyBinding.class, name);
                assertThat(binding.getSpec().getPolicyName()).isEqualTo(name);
                assertThat(binding.getSpec().getValidationActions()).as(name).containsExactly("Deny");
            }
        }
    }

    @Test
    void theMaroonSchedulerBindsInSecondaryModesAndTheClustersSchedulerInMainMode() {
        Deployment scheduler = Kustomize.find(Repo.SECONDARY, Deployment.class, Names.SCHEDULER_NAME);
        String maroonScheduler =
                "system:serviceaccount:" + scheduler.getMetadata().getNamespace() + ":"
                        + scheduler.getSpec().getTemplate().getSpec().getServiceAccountName();

        assertThat(binders(Repo.SECONDARY)).isEqualTo("['" + maroonScheduler + "']");
        assertThat(binders(Repo.GATED)).isEqualTo("['" + maroonScheduler + "']");
        assertThat(binders(Repo.MAIN)).isEqualTo("['" + KUBE_SCHEDULER + "']");
        ValidatingAdmissionPolicy bindings = policy(Repo.MAIN, "maroonedpods-dedicated-node-bindings");
        assertThat(bindings.getSpec().getMatchConstraints().getResourceRules())
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.getResources())
                            .as("both ways a Binding is posted")
                            .containsExactlyInAnyOrder("bindings", "pods/binding");
                    assertThat(r.getOperations()).containsExactly("CREATE");
                });
        assertThat(bindings.getSpec().getMatchConditions())
                .singleElement()
                .satisfies(c -> assertThat(c.getExpression()).contains("'" + Names.NODE_PREFIX + "'"));
    }

    @Test
    void thePoliciesSpellTheNamesOfTheProject() {
        ValidatingAdmissionPolicy nodeName = policy(Repo.SECONDARY, "maroonedpods-dedicated-node-name");
        assertThat(operations(nodeName)).containsExactlyInAnyOrder("CREATE", "UPDATE");
        assertThat(nodeName.getSpec().getMatchConditions().getFirst().getExpression())
                .contains("object.spec.nodeName.startsWith('" + Names.NODE_PREFIX + "')");

        ValidatingAdmissionPolicy toleration = policy(Repo.SECONDARY, "maroonedpods-dedicated-toleration");
        assertThat(operations(toleration)).containsExactlyInAnyOrder("CREATE", "UPDATE");
        String text = toleration.getSpec().getMatchConditions().getFirst().getExpression() + " "
                + toleration.getSpec().getVariables().stream()
                        .map(Variable::getExpression)
                        .collect(Collectors.joining(" "));
        assertThat(text)
                .contains(
                        "'" + Names.DEDICATED_TAINT + "'",
                        "'" + Names.SCHEDULER_NAME + "'",
                        "'" + Names.OPT_IN_LABEL + "'",
                        "'" + AdmissionPoliciesTest.PROVISIONER + "'");
        assertThat(toleration.getSpec().getValidations())
                .extracting(Validation::getMessage)
                .allSatisfy(m -> assertThat(m).startsWith("spec.tolerations: "));

        ValidatingAdmissionPolicy deletes = policy(Repo.SECONDARY, "maroonedpods-provisioner-pod-deletes");
        assertThat(operations(deletes)).containsExactly("DELETE");
        assertThat(deletes.getSpec().getMatchConditions())
                .singleElement()
                .satisfies(c -> assertThat(c.getExpression())
                        .isEqualTo("request.userInfo.username == '" + AdmissionPoliciesTest.PROVISIONER + "'"));
        assertThat(deletes.getSpec().getValidations())
                .singleElement()
                .satisfies(v -> assertThat(v.getExpression())
                        .contains("oldObject.spec.nodeName.startsWith('" + Names.NODE_PREFIX + "')"));
    }

    private static ValidatingAdmissionPolicy policy(Path overlay, String name) {
        return Kustomize.find(overlay, ValidatingAdmissionPolicy.class, name);
    }

    private static String binders(Path overlay) {
        return policy(overlay, "maroonedpods-dedicated-node-bindings").getSpec().getVariables().stream()
                .filter(v -> v.getName().equals("binders"))
                .map(Variable::getExpression)
                .findFirst()
                .orElseThrow();
    }

    private static List<String> operations(ValidatingAdmissionPolicy policy) {
        return policy.getSpec().getMatchConstraints().getResourceRules().stream()
                .map(NamedRuleWithOperations::getOperations)
                .flatMap(List::stream)
                .toList();
    }
}
