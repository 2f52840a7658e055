package io.maroonedpods.provisioner.pool;

import static io.maroonedpods.provisioner.pool.PoolDecisionsTest.TAINT;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.lifecycle.Teardown;
import io.maroonedpods.testcluster.TestCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A claim is a lock: of pods racing for one available pool VM, exactly one gets it, and the others see it taken. Against
 * the fake API server, which applies a JSON patch's {@code test} operations as kube-apiserver does (422 when one fails).
 */
class PoolClaimRaceTest {
    static final String VM = "maroon-pool-abcde12345";
    static final String NS = Names.DEFAULT_VMI_NAMESPACE;
    TestCluster cluster;
    KubernetesClient client;

    @BeforeEach
    void anAvailablePoolVmWithItsVerifiedNode() {
        cluster = TestCluster.start("team-a");
        client = cluster.client();
        VirtualMachineInstance vmi = PoolDecisionsTest.poolVmi(VM, Map.of(Names.POOL_AVAILABLE_LABEL, "true"));
        KubeVirt.vmis(client, NS).resource(vmi).create(); // the VMI has no status subresource: kept as sent
        Node node = PoolDecisionsTest.poolNode(
                VM, Map.of(Names.POOL_LABEL, "true", Names.POOL_AVAILABLE_LABEL, "true"), Names.POOL_TAINT_VALUE);
        client.nodes().resource(node).create();
        client.nodes().withName(VM).editStatus(stored -> {
            stored.setStatus(node.getStatus());
            return stored;
        });
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void ofFourPodsClaimingOneVmAtOnceExactlyOneGetsItAndTheOthersBootTheirOwn() throws Exception {
        List<Pod> pods = List.of(pod("a"), pod("b"), pod("c"), pod("d"));
        ExecutorService claimers = Executors.newFixedThreadPool(pods.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Optional<PoolClaim.Claimed>>> results = new ArrayList<>();
            for (Pod pod : pods) {
                PoolClaim claim = newClaim();
                results.add(claimers.submit(() -> {
                    go.await();
                    return claim.claim(pod, TAINT, List.of(VM));
                }));
            }
            go.countDown();
            List<String> winners = new ArrayList<>();
            for (int i = 0; i < pods.size(); i++) {
                if (results.get(i).get(10, TimeUnit.SECONDS).isPresent()) {
                    winners.add(pods.get(i).getMetadata().getUid());
                }
            }

            assertThat(winners).hasSize(1);
            assertThat(vmi().getMetadata().getLabels())
                    .containsEntry(Names.POD_UID_LABEL, winners.get(0))
                    .doesNotContainKey(Names.POOL_AVAILABLE_LABEL);
            assertThat(client.nodes().withName(VM).get().getMetadata().getLabels())
                    .containsEntry(Names.POD_UID_LABEL, winners.get(0))
                    .containsEntry(Names.VERIFIED_POD_UID_LABEL, winners.get(0));
        } finally {
            claimers.shutdownNow();
        }
    }

    @Test
    void aClaimWorkedOutOnACopyReadBeforeAnotherClaimIsRefusedAndTheReadAfterSeesTheVmTaken() {
        VirtualMachineInstance beforeEitherClaim = vmi();
        assertThat(newClaim().claim(pod("first"), TAINT, List.of(VM)))
                .hasValueSatisfying(claimed -> assertThat(claimed.outcome()).isEqualTo(PoolClaim.Outcome.CLAIMED));
        cluster.answerNextReadWith(beforeEitherClaim); // the second claimer read the VMI before the first wrote

        Optional<PoolClaim.Claimed> second = newClaim().claim(pod("second"), TAINT, List.of(VM));

        assertThat(second).as("the VM was taken: the second pod boots its own").isEmpty();
        assertThat(vmi().getMetadata().getLabels()).containsEntry(Names.POD_UID_LABEL, uid("first"));
        assertThat(vmi().getMetadata().getAnnotations()).containsEntry(Names.POD_NAME_ANNOTATION, "first");
        assertThat(client.nodes().withName(VM).get().getMetadata().getLabels())
                .containsEntry(Names.POD_UID_LABEL, uid("first"));
    }

    private PoolClaim newClaim() {
        return new PoolClaim(client, NS, new Teardown(client, NS), (node, claimer) -> false);
    }

    private VirtualMachineInstance vmi() {
        return KubeVirt.vmis(client, NS).withName(VM).get();
    }

    private static Pod pod(String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("team-a")
                .withUid(uid(name))
                .endMetadata()
                .build();
    }

    private static String uid(String name) {
        return "00000000-0000-4000-8000-" + String.format("%12s", name).replace(' ', '0');
    }
}
