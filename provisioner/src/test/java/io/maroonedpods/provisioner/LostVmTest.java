package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VmiPhase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A verified name is never given to another VM while its pod exists: a bound pod whose VM is lost is failed, its
 * node's name stays locked, and it never gets a second VM. A VM lost before its pod was bound is just retried.
 */
class LostVmTest extends FlowCluster {

    @Test
    void aBoundPodWhoseVmIsLostIsFailedAndItsNodeNameIsNeverGivenToAnotherVm() {
        startProvisioner();
        Pod pod = createPod("web");
        String node = verifiedNode(pod);
        bind(pod, node);

        KubeVirt.vmis(client, VM_NS).withName(node).delete();

        await().atMost(PATIENCE)
                .until(() -> pod(pod).getStatus() != null
                        && "Failed".equals(pod(pod).getStatus().getPhase()));
        assertThat(pod(pod).getStatus().getReason()).isEqualTo("VmLost");
        assertThat(pod(pod).getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("DisruptionTarget");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        await().atMost(PATIENCE).until(() -> reasons(pod).contains("VmLost"));
        Event lost = events(pod).stream()
                .filter(e -> "VmLost".equals(e.getReason()))
                .findFirst()
                .orElseThrow();
        assertThat(lost.getType()).isEqualTo("Warning");
        assertThat(lost.getNote()).contains("is lost", "cannot run on any other node", node);
        await().atMost(PATIENCE).until(() -> node(pod) == null);
        await().during(Duration.ofSeconds(2))
                .atMost(PATIENCE)
                .untilAsserted(() -> assertThat(KubeVirt.vmis(client, VM_NS)
                                .withLabel(
                                        Names.POD_UID_LABEL, pod.getMetadata().getUid())
                                .list()
                                .getItems())
                        .as("no second VM for a bound pod")
                        .isEmpty());

        assertThat(passwordSecret(node))
                .as("the name stays locked while the pod exists")
                .isNotNull();
        Pod other = createPod("other");
        awaitRunningVmi(other);
        JoinInfo live = agent.joinInfo(other.getMetadata().getUid());
        JoinInfo takeover = new JoinInfo(
                live.serverUrl(), live.token(), pod.getMetadata().getUid(), live.taintKey(), node, live.nodePassword());
        assertThatThrownBy(() -> agent.register(takeover, "10.42.0.200", "x"))
                .isInstanceOf(Guests.Refused.class)
                .hasMessageContaining("Node password rejected");

        client.pods().resource(pod).delete();
        await().atMost(PATIENCE).until(() -> passwordSecret(node) == null);
    }

    @Test
    void aBoundPodOfAWarmPoolVmThatIsLostIsFailedAndClaimsNoSecondOne() {
        configure(new MaroonedPodsConfigSpec(
                null, null, null, null, null, 1, null, null, null, null, null, null, 4, null));
        startProvisioner();
        pool.awaitAvailable(1);
        Pod pod = createPod(ProvisioningFlowTest.podTemplate("fast"));
        await().atMost(PATIENCE).until(() -> reasons(pod).contains("PoolNodeClaimed"));
        String poolNode = pool.claimedBy(pod.getMetadata().getUid());
        bind(pod, poolNode);
        pool.awaitAvailable(1); // the pool refilled: a second VM is there to be taken

        KubeVirt.vmis(client, VM_NS).withName(poolNode).delete();

        await().atMost(PATIENCE)
                .until(() -> pod(pod).getStatus() != null
                        && "Failed".equals(pod(pod).getStatus().getPhase()));
        await().during(Duration.ofSeconds(2))
                .atMost(PATIENCE)
                .untilAsserted(() -> assertThat(KubeVirt.vmis(client, VM_NS)
                                .withLabel(
                                        Names.POD_UID_LABEL, pod.getMetadata().getUid())
                                .list()
                                .getItems())
                        .as("no second pool VM claimed")
                        .isEmpty());
        assertThat(passwordSecret(poolNode))
                .as("the pool node's name stays locked too")
                .isNotNull();
        await().atMost(PATIENCE).until(() -> client.nodes().withName(poolNode).get() == null);
        client.pods().resource(pod).delete();
        await().atMost(PATIENCE).until(() -> passwordSecret(poolNode) == null);
    }

    @Test
    void aVmThatFailsAfterItsNodeWasVerifiedWhileThePodIsUnboundIsRetried() {
        configure(spec(3, null, null));
        startProvisioner();
        Pod pod = createPod("web");
        String node = verifiedNode(pod);

        // KubeVirt writes a VMI's status on the object itself: its CRD has no status subresource.
        KubeVirt.vmis(client, VM_NS).withName(node).edit(v -> {
            v.getStatus().phase = VmiPhase.FAILED;
            return v;
        });

        await().atMost(PATIENCE).until(() -> reasons(pod).contains("BootFailed"));
        assertThat(events(pod))
                .filteredOn(e -> "BootFailed".equals(e.getReason()))
                .anySatisfy(e -> assertThat(e.getNote())
                        .contains("boot attempt 1 of 3 failed", "after its node was" + " verified", "retrying in"));
        assertThat(pod(pod).getStatus()).as("not failed: it was never bound").isNull();

        clock.advance(Duration.ofSeconds(11));
        touch(pod);
        await().atMost(PATIENCE)
                .until(() -> vmi(pod) != null
                        && "2".equals(vmi(pod).getMetadata().getAnnotations().get(Names.BOOT_ATTEMPTS_ANNOTATION)));
    }
}
