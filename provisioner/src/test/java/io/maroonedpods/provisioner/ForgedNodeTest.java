package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.Names;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A join-token holder registers a node for someone else's pod: it must never get the restricted label. */
class ForgedNodeTest extends FlowCluster {

    @Test
    void aNodeWithTheWrongAddressIsRejectedAndNeverLabelled() {
        startProvisioner();
        Pod victim = createPod("victim");
        VirtualMachineInstance vmi = awaitRunningVmi(victim);
        JoinInfo stolen = agent.joinInfo(victim.getMetadata().getUid());

        agent.register(stolen, "192.168.66.6", vmi.getSpec().domain.firmware.uuid);

        await().atMost(PATIENCE).until(() -> reasons(victim).contains("NodeRejected"));
        Event rejected = events(victim).stream()
                .filter(e -> e.getReason().equals("NodeRejected"))
                .findFirst()
                .orElseThrow();
        assertThat(rejected.getType()).isEqualTo("Warning");
        assertThat(rejected.getNote()).contains("InternalIP 192.168.66.6 is not an address of VMI");
        assertThat(rejected.getRelated().getName())
                .isEqualTo(Names.nodeName(victim.getMetadata().getUid()));
        assertNeverVerified(victim);
    }

    @Test
    void aNodeWithTheWrongSystemUuidIsRejectedAndNeverLabelled() {
        startProvisioner();
        Pod victim = createPod("victim");
        VirtualMachineInstance vmi = awaitRunningVmi(victim);
        JoinInfo stolen = agent.joinInfo(victim.getMetadata().getUid());

        agent.register(
                stolen,
                vmi.getStatus().allIpAddresses().get(0),
                UUID.randomUUID().toString());

        await().atMost(PATIENCE).until(() -> reasons(victim).contains("NodeRejected"));
        assertThat(events(victim))
                .filteredOn(e -> e.getReason().equals("NodeRejected"))
                .anySatisfy(e -> assertThat(e.getNote()).contains("systemUUID"));
        assertNeverVerified(victim);
    }

    @Test
    void aForgedNodeIsDeletedWhenTheBootTimesOut() {
        configure(spec(3, 30, null));
        startProvisioner();
        Pod victim = createPod("victim");
        VirtualMachineInstance vmi = awaitRunningVmi(victim);
        agent.register(
                agent.joinInfo(victim.getMetadata().getUid()), "192.168.66.6", vmi.getSpec().domain.firmware.uuid);
        await().atMost(PATIENCE).until(() -> reasons(victim).contains("NodeRejected"));

        clock.advance(Duration.ofSeconds(31));
        touch(victim);

        await().atMost(PATIENCE).until(() -> node(victim) == null && vmi(victim) == null);
        assertThat(events(victim))
                .filteredOn(e -> e.getReason().equals("BootFailed"))
                .anySatisfy(e -> assertThat(e.getNote()).contains("node rejected"));
    }

    private void assertNeverVerified(Pod victim) {
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(node(victim).getMetadata().getLabels()).doesNotContainKey(Names.VERIFIED_POD_UID_LABEL);
        assertThat(reasons(victim)).doesNotContain("NodeVerified");
    }
}
