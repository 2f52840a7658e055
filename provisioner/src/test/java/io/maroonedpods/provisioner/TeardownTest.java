package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.k3s.BootstrapToken;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.lifecycle.Teardown;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TeardownTest extends FlowCluster {
    static final String GONE_UID = "0badc0de-0000-4000-8000-000000000001";

    @Test
    void deletingThePodDeletesItsVmSecretNodeAndNodePassword() {
        startProvisioner();
        Pod pod = createPod("web");
        String node = verifiedNode(pod);

        client.pods().resource(pod).delete();

        await().atMost(PATIENCE).untilAsserted(() -> assertNothingLeftFor(node));
    }

    @Test
    void aFailedDeletionDuringTeardownIsFinishedLater() {
        startProvisioner();
        Pod pod = createPod("web");
        String node = verifiedNode(pod);
        cluster.failNext(
                "DELETE",
                "/api/v1/namespaces/kube-system/secrets/" + Names.k3sNodePasswordSecret(node),
                1,
                500,
                "etcd timeout");

        client.pods().resource(pod).delete();

        await().atMost(PATIENCE).untilAsserted(() -> assertNothingLeftFor(node));
    }

    @Test
    void aFinishedPodLosesItsVm() {
        startProvisioner();
        Pod pod = createPod("job");
        awaitRunningVmi(pod);
        agent.register(pod.getMetadata().getUid());

        editPodStatus(pod, p -> {
            p.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                    .withPhase("Succeeded")
                    .build());
            return p;
        });

        await().atMost(PATIENCE)
                .untilAsserted(() ->
                        assertNothingLeftFor(Names.nodeName(pod.getMetadata().getUid())));
        await().atMost(PATIENCE).until(() -> reasons(pod).contains("TornDown"));
        assertThat(pod(pod)).as("no finalizer keeps or blocks the pod").isNotNull();
        assertThat(pod(pod).getMetadata().getFinalizers()).isNullOrEmpty();
    }

    @Test
    void theSweepRemovesLeftoversOfPodsThatNoLongerExistAndLeavesTheRestAlone() {
        String orphan = Names.nodeName(GONE_UID);
        Map<String, String> labels = Map.of(
                Names.MANAGED_BY_LABEL,
                Names.MANAGED_BY_VALUE,
                Names.POD_UID_LABEL,
                GONE_UID,
                Names.POD_NAMESPACE_LABEL,
                "team-a",
                Names.POD_NAME_LABEL,
                "gone");
        VirtualMachineInstance vmi = new VirtualMachineInstance();
        vmi.getMetadata().setName(orphan);
        vmi.getMetadata().setLabels(labels);
        KubeVirt.vmis(client, VM_NS).resource(vmi).create();
        client.secrets()
                .inNamespace(VM_NS)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(Names.userdataSecretName(orphan))
                        .withLabels(labels)
                        .endMetadata()
                        .build())
                .create();
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(orphan)
                        .endMetadata()
                        .build())
                .create();
        client.secrets()
                .inNamespace("kube-system")
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(Names.k3sNodePasswordSecret(orphan))
                        .endMetadata()
                        .build())
                .create();
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("maroon-pool-abc12")
                        .withLabels(Map.of(Names.POOL_LABEL, "true"))
                        .endMetadata()
                        .build())
                .create();
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("worker-1")
                        .endMetadata()
                        .build())
                .create();

        startProvisioner();
        Pod live = createPod("web");
        awaitRunningVmi(live);

        await().atMost(PATIENCE).untilAsserted(() -> assertNothingLeftFor(orphan));
        // The sweep matches no pod UID to a pool node; a pool node without a pool VMI is the pool keeper's to remove.
        await().atMost(PATIENCE)
                .until(() -> client.nodes().withName("maroon-pool-abc12").get() == null);
        assertThat(client.nodes().withName("worker-1").get()).isNotNull();
        assertThat(vmi(live)).isNotNull();
    }

    @Test
    void tearingDownAKnownVmLeavesTheOneCreatedByItsNameSince() {
        String name = Names.nodeName(GONE_UID);
        VirtualMachineInstance failed = createVmWithToken(name, "aaaaaa");
        // A new leader tears the failed VM down and boots the next one by the same name, before this (old) leader's
        // own teardown of the failed VM, decided on its cached copy, arrives.
        KubeVirt.vmis(client, VM_NS).withName(name).delete();
        client.secrets()
                .inNamespace(VM_NS)
                .withName(Names.userdataSecretName(name))
                .delete();
        VirtualMachineInstance next = createVmWithToken(name, "bbbbbb");

        new Teardown(client, VM_NS).known(GONE_UID, new Teardown.KnownVm(failed, false), false, null);

        assertThat(KubeVirt.vmis(client, VM_NS).withName(name).get())
                .as("the next VM's VMI")
                .isNotNull()
                .extracting(vmi -> vmi.getMetadata().getUid())
                .isEqualTo(next.getMetadata().getUid());
        assertThat(client.secrets()
                        .inNamespace(VM_NS)
                        .withName(Names.userdataSecretName(name))
                        .get())
                .as("the next VM's userdata")
                .isNotNull();
        assertThat(tokenSecret("bbbbbb")).as("the next VM's token").isNotNull();
        assertThat(tokenSecret("aaaaaa")).as("the failed VM's token").isNull();
    }

    /** A VMI naming its bootstrap token, its userdata Secret owned by it, and the token's Secret. */
    private VirtualMachineInstance createVmWithToken(String name, String tokenId) {
        VirtualMachineInstance vmi = new VirtualMachineInstance();
        vmi.getMetadata().setName(name);
        vmi.getMetadata().setAnnotations(Map.of(Names.BOOTSTRAP_TOKEN_ID_LABEL, tokenId));
        VirtualMachineInstance created =
                KubeVirt.vmis(client, VM_NS).resource(vmi).create();
        client.secrets()
                .inNamespace(VM_NS)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(Names.userdataSecretName(name))
                        .addToLabels(Names.BOOTSTRAP_TOKEN_ID_LABEL, tokenId)
                        .addNewOwnerReference()
                        .withApiVersion("kubevirt.io/v1")
                        .withKind("VirtualMachineInstance")
                        .withName(name)
                        .withUid(created.getMetadata().getUid())
                        .endOwnerReference()
                        .endMetadata()
                        .build())
                .create();
        client.secrets()
                .inNamespace(BootstrapToken.NAMESPACE)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(BootstrapToken.secretName(tokenId))
                        .endMetadata()
                        .build())
                .create();
        return created;
    }

    private io.fabric8.kubernetes.api.model.Secret tokenSecret(String tokenId) {
        return client.secrets()
                .inNamespace(BootstrapToken.NAMESPACE)
                .withName(BootstrapToken.secretName(tokenId))
                .get();
    }

    private void assertNothingLeftFor(String name) {
        assertThat(KubeVirt.vmis(client, VM_NS).withName(name).get()).as("VMI").isNull();
        assertThat(client.secrets()
                        .inNamespace(VM_NS)
                        .withName(Names.userdataSecretName(name))
                        .get())
                .as("userdata")
                .isNull();
        assertThat(client.nodes().withName(name).get()).as("node").isNull();
        assertThat(client.secrets()
                        .inNamespace("kube-system")
                        .withName(Names.k3sNodePasswordSecret(name))
                        .get())
                .as("k3s node password")
                .isNull();
    }
}
