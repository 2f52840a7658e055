package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.k3s.K3sToken;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import org.junit.jupiter.api.Test;

class ProvisioningFlowTest extends FlowCluster {

    @Test
    void aMaroonPodGetsATolerationASecretAVmiAndAVerifiedNode() {
        startProvisioner();
        Pod pod = createPod(new PodBuilder(podTemplate("web"))
                .editSpec()
                .addNewSchedulingGate()
                .withName(Names.SCHEDULING_GATE)
                .endSchedulingGate()
                .addNewSchedulingGate()
                .withName("example.com/other-gate")
                .endSchedulingGate()
                .endSpec()
                .build());
        String uid = pod.getMetadata().getUid();

        VirtualMachineInstance vmi = awaitRunningVmi(pod);
        assertThat(pod(pod).getSpec().getTolerations()).anySatisfy(t -> {
            assertThat(t.getKey()).isEqualTo(Names.DEDICATED_TAINT);
            assertThat(t.getOperator()).isEqualTo("Equal");
            assertThat(t.getValue()).isEqualTo(uid);
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(vmi.getMetadata().getLabels())
                .containsEntry(Names.POD_UID_LABEL, uid)
                .containsEntry(Names.POD_NAMESPACE_LABEL, "team-a")
                .containsEntry(Names.POD_NAME_LABEL, "web")
                .containsEntry(Names.MANAGED_BY_LABEL, Names.MANAGED_BY_VALUE);
        assertThat(vmi.getSpec().hostname).isEqualTo(Names.nodeName(uid));
        assertThat(vmi.getSpec().domain.firmware.uuid).isNotBlank();
        assertThat(vmi.getSpec().volumes.get(1).cloudInitNoCloud.secretRef.getName())
                .isEqualTo(Names.userdataSecretName(Names.nodeName(uid)));
        JoinInfo join = agent.joinInfo(uid);
        assertThat(join.podUid()).isEqualTo(uid);
        assertThat(join.nodeName()).isEqualTo(Names.nodeName(uid));
        K3sToken token = K3sToken.parse(join.token());
        assertThat(token.bootstrap()).as("a bootstrap token of the VM's own").isNotNull();
        assertThat(token.caHash()).as("pinned to the cluster CA").isEqualTo(CLUSTER_CA_HASH);
        Secret userdata = client.secrets()
                .inNamespace(VM_NS)
                .withName(Names.userdataSecretName(Names.nodeName(uid)))
                .get();
        assertThat(userdata.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(
                        o -> assertThat(o.getUid()).isEqualTo(vmi.getMetadata().getUid()));

        agent.register(uid);

        await().atMost(PATIENCE)
                .until(() -> uid.equals(node(pod).getMetadata().getLabels().get(Names.VERIFIED_POD_UID_LABEL)));
        // Verified but not Ready yet: the gate stays, so the pod's first scheduling attempt cannot fail.
        await().during(java.time.Duration.ofSeconds(1))
                .atMost(PATIENCE)
                .untilAsserted(() -> assertThat(pod(pod).getSpec().getSchedulingGates())
                        .extracting(g -> g.getName())
                        .contains(Names.SCHEDULING_GATE));

        agent.markReady(uid);

        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(pod(pod).getSpec().getSchedulingGates())
                        .extracting(g -> g.getName())
                        .containsExactly("example.com/other-gate"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(reasons(pod)).contains("VmiCreated", "NodeVerified"));
        assertThat(KubeVirt.vmis(client, VM_NS).list().getItems()).hasSize(1);
    }

    static Pod podTemplate(String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("team-a")
                .endMetadata()
                .withNewSpec()
                .withSchedulerName(Names.SCHEDULER_NAME)
                .addNewContainer()
                .withName("app")
                .withImage("nginx")
                .endContainer()
                .endSpec()
                .build();
    }
}
