package io.maroonedpods.provisioner.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigStatus;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.kubevirt.VmiPhase;
import io.maroonedpods.kubevirt.VmiStatus;
import io.maroonedpods.provisioner.join.JoinPin;
import io.maroonedpods.provisioner.join.VmCredentials;
import io.maroonedpods.provisioner.pool.PoolMember.State;
import io.maroonedpods.provisioner.vm.VmSize;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The warm pool's pure decisions: classification, plan, claim order, taint swap, status. */
class PoolDecisionsTest {
    static final EffectiveConfig CONFIG = EffectiveConfig.defaults();
    static final String TAINT = Names.DEDICATED_TAINT;
    static final String UID = "5f1c3a9e-2b7d-4c1e-9a0f-3d2e1b4c5a6f";
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String FIRMWARE = "4b6d1f38-9c2e-4e7a-8f51-0a3c2d9e7b64";

    static VirtualMachineInstance poolVmi(String name, Map<String, String> extraLabels) {
        VirtualMachineInstance vmi = PoolVm.desired(name, CONFIG, FIRMWARE, T0);
        Map<String, String> labels = new HashMap<>(vmi.getMetadata().getLabels());
        labels.putAll(extraLabels);
        vmi.getMetadata().setLabels(labels);
        vmi.setStatus(new VmiStatus());
        vmi.getStatus().phase = VmiPhase.RUNNING;
        VmiStatus.InterfaceStatus iface = new VmiStatus.InterfaceStatus();
        iface.ipAddresses = List.of("10.42.0.7");
        vmi.getStatus().interfaces = List.of(iface);
        return vmi;
    }

    static Node poolNode(String name, Map<String, String> labels, String taintValue) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewTaint()
                .withKey(TAINT)
                .withValue(taintValue)
                .withEffect("NoSchedule")
                .endTaint()
                .endSpec()
                .withNewStatus()
                .addNewAddress()
                .withType("InternalIP")
                .withAddress("10.42.0.7")
                .endAddress()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .withNewNodeInfo()
                .withSystemUUID(FIRMWARE)
                .endNodeInfo()
                .endStatus()
                .build();
    }

    static PoolMember member(String name, State state, int secondsAfterT0) {
        return new PoolMember(name, state, T0.plusSeconds(secondsAfterT0), null);
    }

    @Test
    void aPoolVmThatHeldAStrangerIsNeverAvailableAndIsDeletedEvenIfClaimed() {
        String name = "maroon-pool-held";
        Map<String, String> held = Map.of(Names.POOL_AVAILABLE_LABEL, "true", Names.HELD_STRANGER_LABEL, "true");
        VirtualMachineInstance vmi = poolVmi(name, held);
        Node node = poolNode(
                name, Map.of(Names.POOL_LABEL, "true", Names.POOL_AVAILABLE_LABEL, "true"), Names.POOL_TAINT_VALUE);

        assertThat(PoolVm.available(vmi)).isFalse();
        assertThat(PoolPlan.claimOrder(List.of(vmi), new VmSize(0, 0), UID)).isEmpty();
        assertThat(PoolMember.of(vmi, node, TAINT, T0, 300).state()).isEqualTo(State.FAILED);
        VirtualMachineInstance claimed =
                poolVmi(name, Map.of(Names.HELD_STRANGER_LABEL, "true", Names.POD_UID_LABEL, UID));
        assertThat(PoolMember.of(claimed, node, TAINT, T0, 300).state()).isEqualTo(State.FAILED);
    }

    @Test
    void poolNamesAreDnsSafeRandomAndFitANodeName() {
        Random random = new Random(1);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            names.add(PoolVm.newName(random));
        }
        assertThat(names).hasSize(1000).allSatisfy(n -> assertThat(n).matches("maroon-pool-[a-z0-9]{10}"));
    }

    @Test
    void aPoolVmsJoinInfoHasNoPodUidSoItRegistersAsAPoolNode() {
        VirtualMachineInstance vmi = PoolVm.desired("maroon-pool-abc", CONFIG, FIRMWARE, T0);
        assertThat(vmi.getMetadata().getLabels())
                .containsEntry(Names.POOL_LABEL, "true")
                .doesNotContainKey(Names.POD_UID_LABEL);
        assertThat(vmi.getSpec().hostname).isEqualTo("maroon-pool-abc");
        String userdata = new String(
                java.util.Base64.getDecoder()
                        .decode(PoolVm.userdata(
                                        "maroon-pool-abc",
                                        CONFIG,
                                        VmCredentials.mint(new java.security.SecureRandom()),
                                        JoinPin.fromConfiguredToken("K10" + "0".repeat(64) + "::", "test"))
                                .getData()
                                .get(Names.USERDATA_KEY)),
                java.nio.charset.StandardCharsets.UTF_8);
        var join = io.maroonedpods.api.JoinInfo.parse(io.maroonedpods.api.Userdata.joinInfoFile(userdata));
        assertThat(join.isPoolNode()).isTrue();
        assertThat(join.nodeName()).isEqualTo("maroon-pool-abc");
        assertThat(PoolVm.sizeOf(vmi)).isEqualTo(PoolVm.size(CONFIG));
    }

    @Test
    void aVerifiedReadyPoolNodeIsToBeMarkedAvailable() {
        var vmi = poolVmi("maroon-pool-a", Map.of());
        var node = poolNode("maroon-pool-a", Map.of(Names.POOL_LABEL, "true"), Names.POOL_TAINT_VALUE);
        assertThat(PoolMember.of(vmi, node, TAINT, T0.plusSeconds(5), 300).state())
                .isEqualTo(State.VERIFIED);
        assertThat(PoolMember.of(vmi, null, TAINT, T0.plusSeconds(5), 300).state())
                .isEqualTo(State.BOOTING);
        var notReady = new NodeBuilder(node)
                .editStatus()
                .editFirstCondition()
                .withStatus("False")
                .endCondition()
                .endStatus()
                .build();
        assertThat(PoolMember.of(vmi, notReady, TAINT, T0.plusSeconds(5), 300).state())
                .as("waits for Ready")
                .isEqualTo(State.BOOTING);
    }

    @Test
    void aPoolNodeClaimingAPodUidOrWithAnotherTaintOrAddressIsRejectedAndTheVmDropped() {
        var vmi = poolVmi("maroon-pool-a", Map.of());
        var claimsPod = poolNode(
                "maroon-pool-a", Map.of(Names.POOL_LABEL, "true", Names.POD_UID_LABEL, UID), Names.POOL_TAINT_VALUE);
        var wrongTaint = poolNode("maroon-pool-a", Map.of(Names.POOL_LABEL, "true"), UID);
        var notPool = poolNode("maroon-pool-a", Map.of(), Names.POOL_TAINT_VALUE);
        var wrongIp = new NodeBuilder(
                        poolNode("maroon-pool-a", Map.of(Names.POOL_LABEL, "true"), Names.POOL_TAINT_VALUE))
                .editStatus()
                .editFirstAddress()
                .withAddress("10.9.9.9")
                .endAddress()
                .endStatus()
                .build();
        for (Node node : List.of(claimsPod, wrongTaint, notPool, wrongIp)) {
            assertThat(PoolMember.of(vmi, node, TAINT, T0.plusSeconds(5), 300).state())
                    .isEqualTo(State.FAILED);
        }
    }

    @Test
    void failedTimedOutAndClaimedPoolVmsAreClassifiedSo() {
        var failed = poolVmi("maroon-pool-f", Map.of());
        failed.getStatus().phase = VmiPhase.FAILED;
        assertThat(PoolMember.of(failed, null, TAINT, T0, 300).state()).isEqualTo(State.FAILED);
        assertThat(PoolMember.of(poolVmi("maroon-pool-t", Map.of()), null, TAINT, T0.plusSeconds(300), 300)
                        .state())
                .isEqualTo(State.FAILED);
        var claimed = poolVmi("maroon-pool-c", Map.of(Names.POD_UID_LABEL, UID));
        claimed.getStatus().phase = VmiPhase.FAILED;
        assertThat(PoolMember.of(claimed, null, TAINT, T0.plusSeconds(999), 300).state())
                .isEqualTo(State.CLAIMED);
        var availableWithoutNode = poolVmi("maroon-pool-g", Map.of(Names.POOL_AVAILABLE_LABEL, "true"));
        assertThat(PoolMember.of(availableWithoutNode, null, TAINT, T0, 300).state())
                .isEqualTo(State.FAILED);
    }

    @Test
    void thePoolBootsWhatIsMissingWithinTheBootCap() {
        List<PoolMember> members =
                List.of(member("a", State.AVAILABLE, 0), member("c", State.CLAIMED, 0), member("f", State.FAILED, 0));
        assertThat(PoolPlan.of(4, members, 0, 10)).isEqualTo(new PoolPlan(3, List.of()));
        assertThat(PoolPlan.of(4, members, 8, 10)).isEqualTo(new PoolPlan(2, List.of()));
        assertThat(PoolPlan.of(4, members, 12, 10)).isEqualTo(new PoolPlan(0, List.of()));
        assertThat(PoolPlan.of(1, members, 0, 10)).isEqualTo(new PoolPlan(0, List.of()));
    }

    @Test
    void shrinkingRetiresOnlyUnclaimedVmsBootingOnesFirstThenTheNewestAvailable() {
        List<PoolMember> members = List.of(
                member("old", State.AVAILABLE, 0),
                member("new", State.AVAILABLE, 50),
                member("boot", State.BOOTING, 10),
                member("mine", State.CLAIMED, 60));
        assertThat(PoolPlan.of(1, members, 0, 10).retire()).containsExactly("boot", "new");
        assertThat(PoolPlan.of(0, members, 0, 10).retire()).containsExactly("boot", "new", "old");
        assertThat(PoolPlan.of(0, List.of(member("mine", State.CLAIMED, 0)), 0, 10)
                        .retire())
                .isEmpty();
    }

    @Test
    void aPodMayClaimOnlyAvailableUnclaimedPoolVmsBigEnoughForIt() {
        var free = poolVmi("maroon-pool-free", Map.of(Names.POOL_AVAILABLE_LABEL, "true"));
        var booting = poolVmi("maroon-pool-boot", Map.of());
        var taken = poolVmi("maroon-pool-taken", Map.of(Names.POD_UID_LABEL, UID));
        List<VirtualMachineInstance> vmis = List.of(free, booting, taken);
        VmSize small = new VmSize(1, 512);
        assertThat(PoolPlan.claimOrder(vmis, small, UID)).containsExactly("maroon-pool-free");
        VmSize big = new VmSize(PoolVm.size(CONFIG).cpuCores() + 1, 512);
        assertThat(PoolPlan.claimOrder(vmis, big, UID)).isEmpty();
    }

    @Test
    void concurrentPodsStartTheirClaimsAtDifferentVmsButEachTriesThemAll() {
        List<VirtualMachineInstance> vmis = List.of("a", "b", "c", "d").stream()
                .map(n -> poolVmi("maroon-pool-" + n, Map.of(Names.POOL_AVAILABLE_LABEL, "true")))
                .toList();
        Set<String> firsts = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            List<String> order = PoolPlan.claimOrder(vmis, new VmSize(1, 256), "pod-" + i);
            assertThat(order)
                    .containsExactlyInAnyOrder("maroon-pool-a", "maroon-pool-b", "maroon-pool-c", "maroon-pool-d");
            firsts.add(order.get(0));
        }
        assertThat(firsts).hasSizeGreaterThan(1);
    }

    @Test
    void claimingReplacesOnlyThePoolTaintKeepingEveryOther() {
        List<Taint> taints = List.of(
                new Taint("NoSchedule", TAINT, null, Names.POOL_TAINT_VALUE),
                new Taint("NoSchedule", "node.kubernetes.io/not-ready", null, null));
        assertThat(PoolNode.dedicatedTo(taints, TAINT, UID))
                .containsExactly(
                        new Taint("NoSchedule", TAINT, null, UID),
                        new Taint("NoSchedule", "node.kubernetes.io/not-ready", null, null));
    }

    @Test
    void theStatusShowsCountsAndWhyThePoolIsNotFilled() {
        var filling = PoolStatus.desired(null, 3, 1, 2, 4, null, null, T0);
        assertThat(filling.warmPool()).isEqualTo(new MaroonedPodsConfigStatus.WarmPoolStatus(7, 1, 4));
        assertThat(filling.conditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo(PoolStatus.FILLED);
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("Filling");
        });
        var noSecret = PoolStatus.desired(
                filling,
                3,
                1,
                0,
                4,
                "JoinSecretMissing",
                "Secret a/b key token does not exist (spec.join.tokenSecretRef)",
                T0);
        assertThat(noSecret.conditions())
                .singleElement()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("JoinSecretMissing"));
        var filled = PoolStatus.desired(noSecret, 3, 3, 0, 4, null, null, T0.plusSeconds(9));
        assertThat(filled.conditions()).singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getLastTransitionTime()).isEqualTo(T0.plusSeconds(9).toString());
        });
        assertThat(PoolStatus.desired(filled, 3, 3, 0, 4, null, null, T0.plusSeconds(20)))
                .as("unchanged")
                .isNull();
        assertThat(PoolStatus.desired(new MaroonedPodsConfigStatus(1L, null, List.of()), 0, 0, 0, 0, null, null, T0))
                .as("no pool ever configured")
                .isNull();
    }
}
