package io.maroonedpods.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1beta1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1beta1.MutatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1beta1.MutatingAdmissionPolicyBinding;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The two admission policies: the k3s password-Secret guard (base) and the vm-ready gate (gated overlay). */
class AdmissionPoliciesTest {
    static final String PROVISIONER = "system:serviceaccount:" + EffectiveConfig.DEFAULT_SYSTEM_NAMESPACE
            + ":maroonedpods-provisioner";

    @Test
    void passwordGuardAllowsOnlyOurNodesPasswordSecrets() {
        ValidatingAdmissionPolicy policy = Kustomize.find(Repo.BASE, ValidatingAdmissionPolicy.class,
                "maroonedpods-k3s-node-password-guard");
        assertThat(policy.getSpec().getMatchConditions()).singleElement()
                .satisfies(c -> assertThat(c.getExpression()).isEqualTo("request.userInfo.username == '" + PROVISIONER + "'"));
        assertThat(policy.getSpec().getMatchConstraints().getNamespaceSelector().getMatchLabels())
                .containsEntry("kubernetes.io/metadata.name", Names.K3S_NODE_PASSWORD_NAMESPACE);
        assertThat(policy.getSpec().getMatchConstraints().getResourceRules()).singleElement().satisfies(r -> {
            assertThat(r.getOperations()).containsExactly("DELETE");
            assertThat(r.getResources()).containsExactly("secrets");
        });
        assertThat(policy.getSpec().getFailurePolicy()).isEqualTo("Fail");

        Pattern allowed = celMatchesPattern(policy.getSpec().getValidations().getFirst().getExpression());
        String uid = UUID.randomUUID().toString();
        assertThat(allowed.matcher(Names.k3sNodePasswordSecret(Names.nodeName(uid))).find()).isTrue();
        assertThat(allowed.matcher(Names.k3sNodePasswordSecret(Names.POOL_NODE_PREFIX + "x7k2p")).find()).isTrue();
        for (String other : List.of("k3s-serving", "worker-1.node-password.k3s", "maroon-x.node-password.k3s.bak",
                "chart-values-traefik", Names.nodeName(uid) + "-userdata")) {
            assertThat(allowed.matcher(other).find()).as(other).isFalse();
        }

        ValidatingAdmissionPolicyBinding binding = Kustomize.find(Repo.BASE, ValidatingAdmissionPolicyBinding.class,
                policy.getMetadata().getName());
        assertThat(binding.getSpec().getPolicyName()).isEqualTo(policy.getMetadata().getName());
        assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
    }

    @Test
    void gatedOverlayAddsTheVmReadyGateToOptedInPodsAtCreation() {
        MutatingAdmissionPolicy policy = Kustomize.find(Repo.GATED, MutatingAdmissionPolicy.class, "maroonedpods-vm-ready-gate");
        assertThat(policy.getApiVersion()).isEqualTo("admissionregistration.k8s.io/v1beta1");
        assertThat(policy.getSpec().getMatchConstraints().getResourceRules()).singleElement().satisfies(r -> {
            assertThat(r.getOperations()).containsExactly("CREATE");
            assertThat(r.getResources()).containsExactly("pods");
        });
        String optIn = policy.getSpec().getMatchConditions().stream().map(MatchCondition::getExpression)
                .filter(e -> e.contains("schedulerName")).findFirst().orElseThrow();
        assertThat(optIn).contains("object.spec.schedulerName == '" + Names.SCHEDULER_NAME + "'",
                "object.metadata.labels['" + Names.OPT_IN_LABEL + "'] == 'true'");
        assertThat(policy.getSpec().getMutations()).singleElement().satisfies(m -> {
            assertThat(m.getPatchType()).isEqualTo("ApplyConfiguration");
            assertThat(m.getApplyConfiguration().getExpression()).contains("{name: '" + Names.SCHEDULING_GATE + "'}");
        });
        assertThat(policy.getSpec().getFailurePolicy()).as("the gate is an optimisation, never the isolation").isEqualTo("Ignore");
        MutatingAdmissionPolicyBinding binding = Kustomize.find(Repo.GATED, MutatingAdmissionPolicyBinding.class,
                policy.getMetadata().getName());
        assertThat(binding.getSpec().getPolicyName()).isEqualTo(policy.getMetadata().getName());
    }

    @Test
    void gatedOverlayIsTheSecondarySchedulerInstallPlusThePolicy() {
        List<String> secondary = Kustomize.build(Repo.SECONDARY).stream().map(AdmissionPoliciesTest::id).toList();
        List<String> gated = Kustomize.build(Repo.GATED).stream().map(AdmissionPoliciesTest::id).toList();
        assertThat(gated).containsAll(secondary);
        assertThat(gated.stream().filter(id -> !secondary.contains(id)))
                .containsExactlyInAnyOrder("MutatingAdmissionPolicy/maroonedpods-vm-ready-gate",
                        "MutatingAdmissionPolicyBinding/maroonedpods-vm-ready-gate");
    }

    private static String id(HasMetadata o) {
        return o.getKind() + "/" + (o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace() + "/")
                + o.getMetadata().getName();
    }

    /** The regular expression of a CEL {@code x.matches('...')} call (RE2; ours uses only syntax Java reads alike). */
    private static Pattern celMatchesPattern(String expression) {
        Matcher m = Pattern.compile("\\.matches\\('([^']+)'\\)").matcher(expression);
        assertThat(m.find()).as("matches(...) in %s", expression).isTrue();
        return Pattern.compile(m.group(1));
    }
}
