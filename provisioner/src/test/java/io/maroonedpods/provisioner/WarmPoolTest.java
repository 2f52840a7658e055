package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.MaroonedPodsConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.isolation.IsolationGuard;
import io.maroonedpods.provisioner.lifecycle.Teardown;
import io.maroonedpods.provisioner.pool.PoolClaim;
import io.maroonedpods.provisioner.pool.PoolStatus;
import io.maroonedpods.provisioner.vm.DesiredVm;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The warm pool end to end on the fake cluster: fill, claim, no reuse, shrink, races, restarts. */
class WarmPoolTest extends FlowCluster {

    @Test
    void thePoolFillsWithVerifiedPoolNodesAndReportsItInTheStatus() {
        configurePool(2, 4);
        startProvisioner();

        List<String> names = awaitAvailable(2);
        VirtualMachineInstance vmi = vmi(names.get(0));
        JoinInfo join = agent.joinInfoOf(names.get(0));
        assertThat(join.isPoolNode()).isTrue();
        assertThat(join.nodeName()).isEqualTo(names.get(0)).matches("maroon-pool-[a-z0-9]{10}");
        assertThat(vmi.getMetadata().getLabels())
                .containsEntry(Names.POOL_LABEL, "true")
                .doesNotContainKey(Names.POD_UID_LABEL);
        Node node = client.nodes().withName(names.get(0)).get();
        assertThat(node.getMetadata().getLabels())
                .containsEntry(Names.POOL_AVAILABLE_LABEL, "true")
                .doesNotContainKey(Names.VERIFIED_POD_UID_LABEL);
        assertThat(node.getSpec().getTaints()).extracting(Taint::getValue).containsExactly(Names.POOL_TAINT_VALUE);
        await().atMost(PATIENCE).untilAsserted(() -> {
            var status = config().getStatus();
            assertThat(status.warmPool().available()).isEqualTo(2);
            assertThat(status.warmPool().claimed()).isZero();
            assertThat(status.conditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo(PoolStatus.FILLED);
                assertThat(c.getStatus()).isEqualTo("True");
            });
        });
    }

    /** A pool VM whose VMI was refused leaves a userdata Secret naming a live token: both go with the next pass. */
    @Test
    void aPoolVmWhoseVmiWasRefusedLeavesNoTokenBehind() {
        cluster.failNext(
                "POST",
                "/apis/kubevirt.io/v1/namespaces/" + VM_NS + "/virtualmachineinstances",
                1,
                500,
                "etcd is unhappy");
        configurePool(1, 4);
        startProvisionerWithoutClientRetries();

        awaitAvailable(1);

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(bootstrapTokens())
                    .as("verified pool VMs hold no token, and no orphan does")
                    .isEmpty();
            assertThat(client.secrets().inNamespace(VM_NS).list().getItems())
                    .as("one userdata Secret per pool VM")
                    .hasSize(1);
        });
    }

    @Test
    void aPodClaimsAnAvailablePoolNodeAndThePoolRefillsWithANewVm() {
        configurePool(1, 4);
        startProvisioner();
        String poolVm = awaitAvailable(1).get(0);

        Pod pod = createPod(ProvisioningFlowTest.podTemplate("fast"));
        String uid = pod.getMetadata().getUid();

        await().atMost(PATIENCE)
                .until(() ->
                        uid.equals(labels(client.nodes().withName(poolVm).get()).get(Names.VERIFIED_POD_UID_LABEL)));
        Node node = client.nodes().withName(poolVm).get();
        assertThat(node.getMetadata().getLabels())
                .containsEntry(Names.POD_UID_LABEL, uid)
                .doesNotContainKey(Names.POOL_AVAILABLE_LABEL);
        assertThat(node.getSpec().getTaints()).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo(Names.DEDICATED_TAINT);
            assertThat(t.getValue()).isEqualTo(uid);
        });
        assertThat(vmi(poolVm).getMetadata().getLabels())
                .containsEntry(Names.POD_UID_LABEL, uid)
                .containsEntry(Names.POD_NAME_LABEL, "fast")
                .doesNotContainKey(Names.POOL_AVAILABLE_LABEL);
        assertThat(pod(pod).getSpec().getTolerations())
                .anySatisfy(t -> assertThat(t.getValue()).isEqualTo(uid));
        await().atMost(PATIENCE)
                .untilAsserted(() ->
                        assertThat(reasons(pod)).contains("PoolNodeClaimed").doesNotContain("VmiCreated"));
        assertThat(vmi(pod)).as("no VM of its own was booted").isNull();

        List<String> refilled = awaitAvailable(1);
        assertThat(refilled).doesNotContain(poolVm);
    }

    @Test
    void afterThePodIsGoneItsPoolVmIsDestroyedNeverReturnedToThePool() {
        configurePool(1, 4);
        startProvisioner();
        String poolVm = awaitAvailable(1).get(0);
        Pod pod = createPod(ProvisioningFlowTest.podTemplate("once"));
        await().atMost(PATIENCE).until(() -> reasons(pod).contains("PoolNodeClaimed"));

        client.pods().resource(pod).delete();

        await().atMost(PATIENCE)
                .until(() ->
                        vmi(poolVm) == null && client.nodes().withName(poolVm).get() == null);
        assertThat(client.secrets()
                        .inNamespace(VM_NS)
                        .withName(Names.userdataSecretName(poolVm))
                        .get())
                .isNull();
        assertThat(client.secrets()
                        .inNamespace(Names.K3S_NODE_PASSWORD_NAMESPACE)
                        .withName(Names.k3sNodePasswordSecret(poolVm))
                        .get())
                .isNull();
        List<String> refilled = awaitAvailable(1);
        assertThat(refilled).singleElement().isNotEqualTo(poolVm);
    }

    @Test
    void aStrangerOnAPoolNodeGetsThatVmDestroyedAndItIsNeverClaimed() {
        configurePool(1, 4);
        startProvisioner();
        String poolVm = awaitAvailable(1).get(0);

        Pod stranger = createPod(IsolationGuardTest.stranger("squatter", poolVm).build());

        await().atMost(PATIENCE).until(() -> pod(stranger) == null && vmi(poolVm) == null);
        assertThat(events(stranger))
                .extracting(e -> e.getNote())
                .singleElement()
                .asString()
                .contains("removed from node " + poolVm, "warm-pool VM", "the VM is destroyed");
        List<String> refilled = awaitAvailable(1);
        assertThat(refilled).doesNotContain(poolVm);
        Pod claimer = createPod(ProvisioningFlowTest.podTemplate("after"));
        // A claim reads the provisioner's cache: a pod arriving the moment the refill turns available may boot its own
        // VM instead. Either way, the VM that held a stranger is never the one it gets.
        await().atMost(PATIENCE)
                .until(() -> reasons(claimer).contains("PoolNodeClaimed")
                        || reasons(claimer).contains("VmiCreated"));
        if (reasons(claimer).contains("PoolNodeClaimed")) {
            assertThat(claimedPoolVm(claimer.getMetadata().getUid())).isNotEqualTo(poolVm);
        }
        assertThat(vmi(poolVm))
                .as("the VM that held a stranger stays destroyed")
                .isNull();
    }

    @Test
    void aClaimChecksTheNodesPodsFirstAndDestroysAVmThatHeldAStranger() {
        configurePool(1, 4);
        Provisioner provisioner = startProvisioner();
        String poolVm = awaitAvailable(1).get(0);
        provisioner.close(); // no guard reacts: the claim's own check is what is looked at
        createPod(IsolationGuardTest.stranger("squatter", poolVm).build());
        Pod claimer = createPod(ProvisioningFlowTest.podTemplate("claimer"));
        PoolClaim claim = new PoolClaim(
                client,
                VM_NS,
                new Teardown(client, VM_NS),
                (node, claimerUid) ->
                        IsolationGuard.strangerOn(client, PodWatch.ALL_PODS, List.of(), node, claimerUid));

        assertThat(claim.claim(claimer, Names.DEDICATED_TAINT, List.of(poolVm)))
                .as("nothing claimed")
                .isEmpty();
        assertThat(vmi(poolVm)).as("the VM that held a stranger is destroyed").isNull();
        assertThat(client.nodes().withName(poolVm).get()).isNull();
    }

    @Test
    void aPodTooBigForThePoolVmsBootsItsOwnVm() {
        configurePool(1, 4);
        startProvisioner();
        String poolVm = awaitAvailable(1).get(0);

        Pod big = createPod("big"); // 1 CPU + 1 GiB requested: more than a base-size pool VM holds

        await().atMost(PATIENCE).until(() -> vmi(big) != null);
        assertThat(reasons(big)).doesNotContain("PoolNodeClaimed");
        assertThat(labels(vmi(poolVm))).containsEntry(Names.POOL_AVAILABLE_LABEL, "true");
    }

    @Test
    void twoPodsRaceForOnePoolNodeExactlyOneClaimsItTheOtherBoots() {
        configurePool(1, 4);
        startProvisioner();
        String poolVm = awaitAvailable(1).get(0);

        Pod first = createPod(ProvisioningFlowTest.podTemplate("racer-1"));
        Pod second = createPod(ProvisioningFlowTest.podTemplate("racer-2"));

        await().atMost(PATIENCE)
                .until(() -> labels(client.nodes().withName(poolVm).get()).get(Names.VERIFIED_POD_UID_LABEL) != null);
        String winner = labels(client.nodes().withName(poolVm).get()).get(Names.VERIFIED_POD_UID_LABEL);
        Pod loser = winner.equals(first.getMetadata().getUid()) ? second : first;
        assertThat(winner)
                .isIn(first.getMetadata().getUid(), second.getMetadata().getUid());
        assertThat(vmi(poolVm).getMetadata().getLabels()).containsEntry(Names.POD_UID_LABEL, winner);
        // The loser never claims the same VM: it boots its own (or claims a refilled pool VM, if one were verified).
        await().atMost(PATIENCE).until(() -> vmi(loser) != null);
        assertThat(reasons(loser)).doesNotContain("PoolNodeClaimed");
    }

    @Test
    void shrinkingThePoolDeletesOnlyUnclaimedPoolVms() {
        configurePool(2, 4);
        startProvisioner();
        List<String> spares = awaitAvailable(2);
        Pod pod = createPod(ProvisioningFlowTest.podTemplate("keeper"));
        await().atMost(PATIENCE).until(() -> reasons(pod).contains("PoolNodeClaimed"));
        String claimed = claimedPoolVm(pod.getMetadata().getUid());

        configurePool(0, 4);

        await().atMost(PATIENCE).until(() -> poolVmNames().equals(Set.of(claimed)));
        assertThat(client.nodes().withName(claimed).get()).isNotNull();
        spares.stream()
                .filter(name -> !name.equals(claimed))
                .forEach(name -> assertThat(client.nodes().withName(name).get()).isNull());
        await().atMost(PATIENCE)
                .untilAsserted(() ->
                        assertThat(config().getStatus().warmPool().claimed()).isOne());
    }

    @Test
    void aPodDeletedBetweenTheVmiClaimAndTheNodeUpdateLeavesNothingBehind() {
        configurePool(1, 4);
        Provisioner first = startProvisioner();
        String poolVm = awaitAvailable(1).get(0);
        first.close();
        Pod pod = createPod(ProvisioningFlowTest.podTemplate("gone-mid-claim"));
        claimVmiOnly(poolVm, pod); // the provisioner "crashed" after the VMI update
        client.pods().resource(pod).delete();

        startProvisioner();

        await().atMost(PATIENCE)
                .until(() ->
                        vmi(poolVm) == null && client.nodes().withName(poolVm).get() == null);
        assertThat(client.secrets()
                        .inNamespace(VM_NS)
                        .withName(Names.userdataSecretName(poolVm))
                        .get())
                .isNull();
    }

    @Test
    void aRestartedProvisionerFinishesAClaimRecordedOnlyOnTheVmi() {
        configurePool(1, 4);
        Provisioner first = startProvisioner();
        String poolVm = awaitAvailable(1).get(0);
        first.close();
        Pod pod = createPod(ProvisioningFlowTest.podTemplate("half-claimed"));
        String uid = pod.getMetadata().getUid();
        claimVmiOnly(poolVm, pod);

        startProvisioner();

        await().atMost(PATIENCE)
                .until(() ->
                        uid.equals(labels(client.nodes().withName(poolVm).get()).get(Names.VERIFIED_POD_UID_LABEL)));
        assertThat(client.nodes().withName(poolVm).get().getSpec().getTaints())
                .extracting(Taint::getValue)
                .containsExactly(uid);
        await().atMost(PATIENCE).until(() -> reasons(pod).contains("PoolNodeClaimed"));
        assertThat(vmi(pod)).isNull();
    }

    @Test
    void aPoolThatCannotPinTheClusterCaIsReportedAsNotFilled() {
        client.getConfiguration().setCaCertData(null);
        configurePool(2, 4);
        startProvisioner();

        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(config().getStatus().conditions())
                        .anySatisfy(c -> {
                            assertThat(c.getType()).isEqualTo(PoolStatus.FILLED);
                            assertThat(c.getStatus()).isEqualTo("False");
                            assertThat(c.getReason()).isEqualTo("ClusterCaUnknown");
                            assertThat(c.getMessage()).contains("certificate-authority");
                        }));
        assertThat(poolVmNames()).isEmpty();
    }

    /** What PoolClaim's first write does, without the second: as if the provisioner died in between. */
    private void claimVmiOnly(String poolVm, Pod pod) {
        KubeVirt.vmis(client, VM_NS).withName(poolVm).edit(v -> {
            Map<String, String> labels = new HashMap<>(v.getMetadata().getLabels());
            labels.remove(Names.POOL_AVAILABLE_LABEL);
            labels.putAll(DesiredVm.labels(pod));
            v.getMetadata().setLabels(labels);
            return v;
        });
    }

    private void configurePool(int size, int maxConcurrentBoots) {
        configure(new MaroonedPodsConfigSpec(
                null, null, null, null, null, size, null, null, null, null, null, null, maxConcurrentBoots, null));
    }

    private MaroonedPodsConfig config() {
        return client.resources(MaroonedPodsConfig.class)
                .withName(Names.CONFIG_NAME)
                .get();
    }

    private List<String> awaitAvailable(int n) {
        return pool.awaitAvailable(n);
    }

    private List<String> availableNames() {
        return pool.available();
    }

    private Set<String> poolVmNames() {
        return pool.all().stream().map(v -> v.getMetadata().getName()).collect(Collectors.toSet());
    }

    private String claimedPoolVm(String uid) {
        return pool.claimedBy(uid);
    }

    private VirtualMachineInstance vmi(String name) {
        return KubeVirt.vmis(client, VM_NS).withName(name).get();
    }

    private static Map<String, String> labels(io.fabric8.kubernetes.api.model.HasMetadata object) {
        return labelsOf(object);
    }
}
