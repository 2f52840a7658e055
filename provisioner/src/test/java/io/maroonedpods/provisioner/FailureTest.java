package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.api.config.MaroonedPodsConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.testcluster.kubevirt.SimulatedKubeVirt;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailureTest extends FlowCluster {

    @Test
    void aFailedVmIsTornDownAndRetriedUntilAttemptsRunOut() {
        configure(spec(2, null, null));
        vmsFail();
        startProvisioner();
        Pod pod = createPod("web");

        await().atMost(PATIENCE).until(() -> reasons(pod).contains("BootFailed"));
        await().atMost(PATIENCE).until(() -> vmi(pod) == null);
        assertThat(client.secrets().inNamespace(VM_NS).list().getItems())
                .as("the failed VM's userdata Secret")
                .isEmpty();
        assertThat(pod(pod).getMetadata().getAnnotations())
                .containsEntry(Names.BOOT_ATTEMPTS_ANNOTATION, "1")
                .containsKey(Names.NEXT_BOOT_AFTER_ANNOTATION);
        assertThat(note(pod, "BootFailed"))
                .contains("VMI maroon-")
                .contains("is Failed (" + SimulatedKubeVirt.FAILURE_REASON + ")")
                .contains("retrying in 10 s");

        clock.advance(Duration.ofSeconds(11));
        touch(pod);

        await().atMost(PATIENCE).until(() -> reasons(pod).contains("ProvisioningFailed"));
        await().atMost(PATIENCE).until(() -> vmi(pod) == null);
        assertThat(note(pod, "ProvisioningFailed"))
                .contains("after 2 boot attempt(s)")
                .contains("recreate the pod");
        assertThat(pod(pod).getMetadata().getAnnotations()).containsKey(Names.PROVISIONING_FAILED_ANNOTATION);
        assertThat(client.secrets().inNamespace(VM_NS).list().getItems()).isEmpty();
        assertThat(events(pod))
                .filteredOn(e -> e.getReason().equals("ProvisioningFailed"))
                .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
    }

    @Test
    void anApiErrorBeforeTheVmiExistsCostsNoBootAttempt() {
        cluster.failNext(
                "POST",
                "/apis/kubevirt.io/v1/namespaces/" + VM_NS + "/virtualmachineinstances",
                2,
                500,
                "etcd is unhappy");
        startProvisioner();
        Pod pod = createPod("web");

        VirtualMachineInstance vmi = awaitRunningVmi(pod);

        assertThat(vmi.getMetadata().getAnnotations()).containsEntry(Names.BOOT_ATTEMPTS_ANNOTATION, "1");
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(pod(pod).getMetadata().getAnnotations())
                        .containsEntry(Names.BOOT_ATTEMPTS_ANNOTATION, "1"));
        assertThat(KubeVirt.vmis(client, VM_NS).list().getItems()).hasSize(1);
    }

    @Test
    void noVerifiedNodeWithinTheBootTimeoutTearsTheVmDown() {
        configure(spec(3, 60, null));
        startProvisioner();
        Pod pod = createPod("web");
        awaitRunningVmi(pod);

        clock.advance(Duration.ofSeconds(61));
        touch(pod);

        await().atMost(PATIENCE).until(() -> reasons(pod).contains("BootFailed"));
        assertThat(note(pod, "BootFailed"))
                .contains("no verified node within 60 s")
                .contains("no node registered");
        await().atMost(PATIENCE).until(() -> vmi(pod) == null);
    }

    @Test
    void aMissingCaPinSecretCreatesNothingAndSaysSo() {
        configure(pinnedBy("cluster-ca-pin"));
        startProvisioner();
        Pod pod = createPod("web");

        await().atMost(PATIENCE).until(() -> reasons(pod).contains("JoinSecretMissing"));
        assertThat(note(pod, "JoinSecretMissing")).contains("maroonedpods-system/cluster-ca-pin");
        assertThat(vmi(pod)).isNull();
        assertThat(client.secrets().inNamespace(VM_NS).list().getItems()).isEmpty();
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(ready()).satisfies(c -> {
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getReason()).isEqualTo("JoinSecretMissing");
                }));

        client.secrets()
                .inNamespace(EffectiveConfig.DEFAULT_SYSTEM_NAMESPACE)
                .resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                        .withNewMetadata()
                        .withName("cluster-ca-pin")
                        .endMetadata()
                        .addToStringData("token", "K10" + CLUSTER_CA_HASH + "::")
                        .build())
                .create();
        touch(pod);
        awaitRunningVmi(pod);
    }

    @Test
    void aServerTokenNamedAsTheJoinSecretIsRefusedWithAConditionThatSaysWhy() {
        client.secrets()
                .inNamespace(EffectiveConfig.DEFAULT_SYSTEM_NAMESPACE)
                .resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                        .withNewMetadata()
                        .withName("node-token")
                        .endMetadata()
                        .addToStringData("token", "K10" + CLUSTER_CA_HASH + "::server:the-servers-own-secret")
                        .build())
                .create();
        configure(pinnedBy("node-token"));
        startProvisioner();
        Pod pod = createPod("web");

        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(ready()).satisfies(c -> {
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getReason()).isEqualTo("JoinTokenRefused");
                    assertThat(c.getMessage())
                            .contains(
                                    "Secret maroonedpods-system/node-token key token holds the k3s server" + " token",
                                    "cluster admin")
                            .doesNotContain("the-servers-own-secret");
                }));
        await().atMost(PATIENCE).until(() -> reasons(pod).contains("JoinTokenRefused"));
        assertThat(vmi(pod)).isNull();
    }

    static MaroonedPodsConfigSpec pinnedBy(String secretName) {
        return new MaroonedPodsConfigSpec(
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new MaroonedPodsConfigSpec.JoinConfig(
                        null, new MaroonedPodsConfigSpec.SecretKeyRef(null, secretName, null)),
                null,
                null,
                null,
                null,
                null,
                null);
    }

    @Test
    void anInvalidConfigurationCreatesNothingAndNamesTheField() {
        configure(spec(null, 1, null));
        startProvisioner();
        Pod pod = createPod("web");

        await().atMost(PATIENCE).until(() -> reasons(pod).contains("ConfigInvalid"));
        assertThat(note(pod, "ConfigInvalid")).contains("spec.bootTimeoutSeconds: must be >= 10, got 1");
        assertThat(vmi(pod)).isNull();
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(ready()).satisfies(c -> {
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getReason()).isEqualTo("InvalidConfig");
                    assertThat(c.getMessage()).contains("spec.bootTimeoutSeconds");
                }));
        assertThat(client.resources(MaroonedPodsConfig.class)
                        .withName(Names.CONFIG_NAME)
                        .get()
                        .getStatus()
                        .observedGeneration())
                .isNotNull();
    }

    @Test
    void atMostMaxConcurrentBootsVmsBootAtOnce() throws Exception {
        configure(spec(null, null, 1));
        Provisioner provisioner =
                startProvisioner(testConfig().toBuilder().healthPort(0).build());
        Pod first = createPod("first");
        awaitRunningVmi(first);
        Pod second = createPod("second");

        await().atMost(PATIENCE).until(() -> reasons(second).contains("BootQueued"));
        assertThat(KubeVirt.vmis(client, VM_NS).list().getItems()).hasSize(1);
        assertThat(metrics(provisioner))
                .contains("maroonedpods_provisioner_boot_slots_busy 1.0")
                .contains("maroonedpods_provisioner_boot_queue 1.0");

        agent.register(first.getMetadata().getUid());

        await().atMost(PATIENCE).until(() -> vmi(second) != null);
        await().atMost(PATIENCE)
                .untilAsserted(
                        () -> assertThat(metrics(provisioner)).contains("maroonedpods_provisioner_boot_queue 0.0"));
    }

    private Condition ready() {
        MaroonedPodsConfig config = client.resources(MaroonedPodsConfig.class)
                .withName(Names.CONFIG_NAME)
                .get();
        assertThat(config.getStatus()).isNotNull();
        return config.getStatus().conditions().stream()
                .filter(c -> c.getType().equals("Ready"))
                .findFirst()
                .orElseThrow();
    }

    private String note(Pod pod, String reason) {
        return events(pod).stream()
                .filter(e -> reason.equals(e.getReason()))
                .map(Event::getNote)
                .findFirst()
                .orElseThrow();
    }
}
