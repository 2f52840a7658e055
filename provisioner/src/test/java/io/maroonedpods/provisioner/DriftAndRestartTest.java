package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.maroonedpods.api.Names;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import org.junit.jupiter.api.Test;

class DriftAndRestartTest extends FlowCluster {

    @Test
    void aVmiDeletedUnderUsComesBack() {
        startProvisioner();
        Pod pod = createPod("web");
        VirtualMachineInstance first = awaitRunningVmi(pod);

        KubeVirt.vmis(client, VM_NS).withName(first.getMetadata().getName()).delete();

        await().atMost(PATIENCE)
                .until(() -> vmi(pod) != null
                        && !vmi(pod).getMetadata()
                                .getUid()
                                .equals(first.getMetadata().getUid()));
        assertThat(pod(pod).getMetadata().getAnnotations()).containsEntry(Names.BOOT_ATTEMPTS_ANNOTATION, "2");
        assertThat(KubeVirt.vmis(client, VM_NS).list().getItems()).hasSize(1);
    }

    @Test
    void aFreshProvisionerOverExistingObjectsMakesNoDuplicates() {
        Provisioner first = startProvisioner();
        Pod pod = createPod("web");
        VirtualMachineInstance vmi = awaitRunningVmi(pod);
        String secretUid = client.secrets()
                .inNamespace(VM_NS)
                .withName(Names.userdataSecretName(vmi.getMetadata().getName()))
                .get()
                .getMetadata()
                .getUid();
        first.close();

        startProvisioner();
        touch(pod);
        agent.register(pod.getMetadata().getUid());

        await().atMost(PATIENCE)
                .until(() -> node(pod).getMetadata().getLabels().containsKey(Names.VERIFIED_POD_UID_LABEL));
        assertThat(KubeVirt.vmis(client, VM_NS).list().getItems())
                .singleElement()
                .satisfies(v -> assertThat(v.getMetadata().getUid())
                        .isEqualTo(vmi.getMetadata().getUid()));
        assertThat(client.secrets().inNamespace(VM_NS).list().getItems())
                .singleElement()
                .satisfies(s -> assertThat(s.getMetadata().getUid()).isEqualTo(secretUid));
        assertThat(pod(pod).getMetadata().getAnnotations())
                .as("still the one VM booted for the pod")
                .containsEntry(Names.BOOT_ATTEMPTS_ANNOTATION, "1");
    }

    @Test
    void aRestartAfterVerificationStillRemovesTheGate() {
        Provisioner first = startProvisioner();
        Pod pod = createPod(new PodBuilder(ProvisioningFlowTest.podTemplate("gated"))
                .editSpec()
                .addNewSchedulingGate()
                .withName(Names.SCHEDULING_GATE)
                .endSchedulingGate()
                .endSpec()
                .build());
        awaitRunningVmi(pod);
        first.close();
        agent.register(pod.getMetadata().getUid());
        agent.markReady(pod.getMetadata().getUid());
        client.nodes().withName(Names.nodeName(pod.getMetadata().getUid())).edit(n -> {
            n.getMetadata()
                    .getLabels()
                    .put(Names.VERIFIED_POD_UID_LABEL, pod.getMetadata().getUid());
            return n;
        });

        startProvisioner();

        await().atMost(PATIENCE)
                .untilAsserted(() ->
                        assertThat(pod(pod).getSpec().getSchedulingGates()).isNullOrEmpty());
    }

    @Test
    void aPodThatIsNotMaroonGetsNothing() {
        startProvisioner();
        Pod plain = createPod(new PodBuilder(ProvisioningFlowTest.podTemplate("plain"))
                .editSpec()
                .withSchedulerName("default-scheduler")
                .endSpec()
                .build());
        Pod maroon = createPod("web");

        awaitRunningVmi(maroon);
        assertThat(vmi(plain)).isNull();
        assertThat(pod(plain).getSpec().getTolerations())
                .as("only the API server's default tolerations")
                .isEqualTo(plain.getSpec().getTolerations());
        assertThat(events(plain)).isEmpty();
    }
}
