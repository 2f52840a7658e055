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
import io.maroonedpods.api.k3s.BootstrapToken;
import java.security.SecureRandom;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The admission policies: the guards of the provisioner's writes in kube-system (base: node-password Secrets and
 * bootstrap tokens) and the vm-ready gate (gated overlay).
 */
class AdmissionPoliciesTest {
    static final String PROVISIONER =
            "system:serviceaccount:" + EffectiveConfig.DEFAULT_SYSTEM_NAMESPACE + ":maroonedpods-provisioner";

    @Test
    void passwordGuardAllowsTheProvisionerToWriteOnlyTheVmsCredentialsInKubeSystem() {
        ValidatingAdmissionPolicy policy =
                Kustomize.find(Repo.BASE, ValidatingAdmissionPolicy.class, "maroonedpods-k3s-node-password-guard");
        assertThat(policy.getSpec().getMatchConditions())
                .singleElement()
                .satisfies(c ->
                        assertThat(c.getExpression()).isEqualTo("request.userInfo.username == '" + PROVISIONER + "'"));
        assertThat(policy.getSpec().getMatchConstraints().getNamespaceSelector().getMatchLabels())
                .containsEntry("kubernetes.io/metadata.name", Names.K3S_NODE_PASSWORD_NAMESPACE);
        assertThat(policy.getSpec().getMatchConstraints().getResourceRules())
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.getOperations()).containsExactlyInAnyOrder("CREATE", "DELETE");
                    assertThat(r.getResources()).containsExactly("secrets");
                });
        assertThat(policy.getSpec().getFailurePolicy()).isEqualTo("Fail");

        List<Pattern> allowed =
                celMatchesPatterns(policy.getSpec().getValidations().getFirst().getExpression());
        String uid = UUID.randomUUID().toString();
        for (String ours : List.of(
                Names.k3sNodePasswordSecret(Names.nodeName(uid)),
                Names.k3sNodePasswordSecret(Names.POOL_NODE_PREFIX + "x7k2p"),
                BootstrapToken.random(new SecureRandom()).secretName())) {
            assertThat(allowed)
                    .as(ours)
                    .anySatisfy(p -> assertThat(p.matcher(ours).find()).isTrue());
        }
        for (String other : List.of(
                "k3s-serving",
                "worker-1.node-password.k3s",
                "maroon-x.node-password.k3s.bak",
                "chart-values-traefik",
                Names.nodeName(uid) + "-userdata",
                "bootstrap-token-abc",
                "k3s-etcd-snapshots")) {
            assertThat(allowed)
                    .as(other)
                    .noneSatisfy(p -> assertThat(p.matcher(other).find()).isTrue());
        }
        // Secret data reach CEL as base64 text: a k3s hash ("$1:...") starts with the encoding of "$1:".
        assertThat(policy.getSpec().getValidations().get(1).getExpression())
                .as("a created password Secret")
                .contains("object.type == 'Opaque'", "'hash' in object.data", "startsWith('" + base64("$1:") + "')");

        ValidatingAdmissionPolicyBinding binding = Kustomize.find(
                Repo.BASE,
                ValidatingAdmissionPolicyBinding.class,
                policy.getMetadata().getName());
        assertThat(binding.getSpec().getPolicyName())
                .isEqualTo(policy.getMetadata().getName());
        assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
    }

    /**
     * The bootstrap-token guard checks exactly the keys, type, label and usage the provisioner writes (JoinSecrets,
     * from the api's {@link BootstrapToken} names). Whether kube-apiserver's CEL then admits the provisioner's Secret
     * and refuses the others is for a test against the real API server (the real-control-plane suite); a manual run
     * against kube-apiserver v1.34.9 found that Secret data reach CEL as base64 text, hence the encoded constants.
     */
    @Test
    void bootstrapTokenGuardHoldsTheProvisionersTokensToAuthenticationAnExpiryAndItsOwnLabel() {
        ValidatingAdmissionPolicy policy =
                Kustomize.find(Repo.BASE, ValidatingAdmissionPolicy.class, "maroonedpods-bootstrap-token-guard");
        assertThat(policy.getSpec().getMatchConditions())
                .extracting(c -> c.getExpression())
                .containsExactly(
                        "request.userInfo.username == '" + PROVISIONER + "'",
                        "request.name.startsWith('" + BootstrapToken.SECRET_PREFIX + "')");
        assertThat(policy.getSpec().getMatchConstraints().getResourceRules())
                .singleElement()
                .satisfies(r -> assertThat(r.getOperations()).containsExactlyInAnyOrder("CREATE", "DELETE"));
        assertThat(policy.getSpec().getFailurePolicy()).isEqualTo("Fail");
        String all = String.join(
                "\n",
                policy.getSpec().getValidations().stream()
                        .map(v -> v.getExpression())
                        .toList());
        assertThat(all)
                .contains(
                        "object.type == '" + BootstrapToken.SECRET_TYPE + "'",
                        "'" + BootstrapToken.TOKEN_ID_KEY + "' in object.data",
                        "'" + BootstrapToken.TOKEN_SECRET_KEY + "' in object.data",
                        "'" + BootstrapToken.EXPIRATION_KEY + "' in object.data",
                        "object.data['" + BootstrapToken.USAGE_AUTHENTICATION_KEY + "'] == '" + base64("true") + "'",
                        "!('" + BootstrapToken.EXTRA_GROUPS_KEY + "' in object.data)",
                        "object.metadata.labels['" + Names.MANAGED_BY_LABEL + "'] == '" + Names.MANAGED_BY_VALUE + "'",
                        "oldObject.metadata.labels['" + Names.MANAGED_BY_LABEL + "'] == '" + Names.MANAGED_BY_VALUE
                                + "'");
        assertThat(policy.getSpec().getValidations())
                .allSatisfy(v -> assertThat(v.getReason()).isEqualTo("Forbidden"));

        ValidatingAdmissionPolicyBinding binding = Kustomize.find(
                Repo.BASE,
                ValidatingAdmissionPolicyBinding.class,
                policy.getMetadata().getName());
        assertThat(binding.getSpec().getPolicyName())
                .isEqualTo(policy.getMetadata().getName());
        assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
    }

    @Test
    void gatedOverlayAddsTheVmReadyGateToOptedInPodsAtCreation() {
        MutatingAdmissionPolicy policy =
                Kustomize.find(Repo.GATED, MutatingAdmissionPolicy.class, "maroonedpods-vm-ready-gate");
        assertThat(policy.getApiVersion()).isEqualTo("admissionregistration.k8s.io/v1beta1");
        assertThat(policy.getSpec().getMatchConstraints().getResourceRules())
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.getOperations()).containsExactly("CREATE");
                    assertThat(r.getResources()).containsExactly("pods");
                });
        String optIn = policy.getSpec().getMatchConditions().stream()
                .map(MatchCondition::getExpression)
                .filter(e -> e.contains("schedulerName"))
                .findFirst()
                .orElseThrow();
        assertThat(optIn)
                .contains(
                        "object.spec.schedulerName == '" + Names.SCHEDULER_NAME + "'",
                        "object.metadata.labels['" + Names.OPT_IN_LABEL + "'] == 'true'");
        assertThat(policy.getSpec().getMutations()).singleElement().satisfies(m -> {
            assertThat(m.getPatchType()).isEqualTo("ApplyConfiguration");
            assertThat(m.getApplyConfiguration().getExpression()).contains("{name: '" + Names.SCHEDULING_GATE + "'}");
        });
        assertThat(policy.getSpec().getFailurePolicy())
                .as("the gate is an optimisation, never the isolation")
                .isEqualTo("Ignore");
        MutatingAdmissionPolicyBinding binding = Kustomize.find(
                Repo.GATED,
                MutatingAdmissionPolicyBinding.class,
                policy.getMetadata().getName());
        assertThat(binding.getSpec().getPolicyName())
                .isEqualTo(policy.getMetadata().getName());
    }

    @Test
    void gatedOverlayIsTheSecondarySchedulerInstallPlusThePolicy() {
        List<String> secondary = Kustomize.build(Repo.SECONDARY).stream()
                .map(AdmissionPoliciesTest::id)
                .toList();
        List<String> gated = Kustomize.build(Repo.GATED).stream()
                .map(AdmissionPoliciesTest::id)
                .toList();
        assertThat(gated).containsAll(secondary);
        assertThat(gated.stream().filter(id -> !secondary.contains(id)))
                .containsExactlyInAnyOrder(
                        "MutatingAdmissionPolicy/maroonedpods-vm-ready-gate",
                        "MutatingAdmissionPolicyBinding/maroonedpods-vm-ready-gate");
    }

    private static String id(HasMetadata o) {
        return o.getKind() + "/"
                + (o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace() + "/")
                + o.getMetadata().getName();
    }

    /** Secret data as CEL sees them in kube-apiserver: their base64 text, not the bytes. */
    private static String base64(String value) {
        return java.util.Base64.getEncoder().encodeToString(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The regular expressions of the CEL {@code x.matches('...')} calls (RE2; ours use only syntax Java reads alike). */
    private static List<Pattern> celMatchesPatterns(String expression) {
        Matcher m = Pattern.compile("\\.matches\\('([^']+)'\\)").matcher(expression);
        List<Pattern> patterns = new java.util.ArrayList<>();
        while (m.find()) {
            patterns.add(Pattern.compile(m.group(1)));
        }
        assertThat(patterns).as("matches(...) in %s", expression).isNotEmpty();
        return patterns;
    }
}
