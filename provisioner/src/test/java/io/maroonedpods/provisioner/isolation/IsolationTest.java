package io.maroonedpods.provisioner.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.maroonedpods.api.Names;
import io.maroonedpods.provisioner.ProvisionerConfig;
import io.maroonedpods.provisioner.isolation.Isolation.Standing;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IsolationTest {
    static final String OWNER = "5f1c3a9e-2b7d-4c1e-9a0f-3d2e1b4c5a6f";
    static final List<String> KUBE_SYSTEM = List.of("kube-system/*");
    static final List<String> NONE = ProvisionerConfig.DEFAULT_ALLOWED_DAEMONSETS;

    static PodBuilder pod(String namespace, String name, String uid) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .withUid(uid)
                .endMetadata()
                .withNewSpec()
                .withNodeName(Names.nodeName(OWNER))
                .endSpec();
    }

    static Pod daemonSetPod(String namespace, String daemonSet) {
        return pod(namespace, daemonSet + "-x7k2p", "ds-" + daemonSet)
                .editMetadata()
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("DaemonSet")
                .withName(daemonSet)
                .withUid("u")
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .build();
    }

    @Test
    void onlyTheOwnerStaticPodsAndAllowedDaemonSetsMayStay() {
        Pod owner = pod("team-a", "web", OWNER).build();
        Pod wildcard = pod("team-b", "sneaky", "u-2")
                .editSpec()
                .addNewToleration()
                .withOperator("Exists")
                .endToleration()
                .endSpec()
                .build();
        Pod mirror = pod("kube-system", "static", "u-5")
                .editMetadata()
                .withAnnotations(Map.of(Isolation.MIRROR_POD_ANNOTATION, "abc"))
                .endMetadata()
                .build();
        Pod cni = daemonSetPod("kube-system", "calico-node");
        Pod tenantDaemon = daemonSetPod("team-b", "log-shipper");

        assertThat(Isolation.standing(owner, OWNER, NONE)).isEqualTo(Standing.OWNER);
        assertThat(Isolation.standing(mirror, OWNER, NONE)).isEqualTo(Standing.ALLOWED);
        assertThat(Isolation.standing(wildcard, OWNER, KUBE_SYSTEM)).isEqualTo(Standing.STRANGER);
        assertThat(Isolation.standing(tenantDaemon, OWNER, KUBE_SYSTEM)).isEqualTo(Standing.STRANGER);
        assertThat(Isolation.standing(cni, OWNER, KUBE_SYSTEM)).isEqualTo(Standing.ALLOWED);
        assertThat(Isolation.standing(tenantDaemon, OWNER, List.of("team-b/log-shipper")))
                .isEqualTo(Standing.ALLOWED);
    }

    @Test
    void noDaemonSetIsAllowedByDefaultNotEvenInKubeSystem() {
        assertThat(NONE).isEmpty();
        assertThat(Isolation.standing(daemonSetPod("kube-system", "svclb-web"), OWNER, NONE))
                .isEqualTo(Standing.STRANGER);
    }

    @Test
    void finishedAndTerminatingStrangersAreStillStrangers() {
        Pod finished = pod("team-b", "done", "u-3")
                .withNewStatus()
                .withPhase("Succeeded")
                .endStatus()
                .build();
        Pod terminating = pod("team-b", "going", "u-4")
                .editMetadata()
                .withDeletionTimestamp("2026-11-25T08:00:00Z")
                .withDeletionGracePeriodSeconds(3600L)
                .endMetadata()
                .build();

        assertThat(Isolation.standing(finished, OWNER, NONE)).isEqualTo(Standing.STRANGER);
        assertThat(Isolation.standing(terminating, OWNER, NONE)).isEqualTo(Standing.STRANGER);
        assertThat(Isolation.awaitsRemoval(terminating))
                .as("its grace period is its own choice")
                .isTrue();
    }

    @Test
    void aStrangerDeletedWithGracePeriodZeroNeedsNothingMore() {
        Pod forceDeleted = pod("team-b", "held", "u-6")
                .editMetadata()
                .withDeletionTimestamp("2026-11-25T08:00:00Z")
                .withDeletionGracePeriodSeconds(0L)
                .withFinalizers("example.com/keep")
                .endMetadata()
                .build();

        assertThat(Isolation.awaitsRemoval(forceDeleted)).isFalse();
        assertThat(Isolation.awaitsRemoval(pod("team-b", "running", "u-7").build()))
                .isTrue();
    }

    @Test
    void aNodeThatBelongsToNoPodAdmitsOnlyAllowedPods() {
        Pod pod = pod("team-a", "web", OWNER).build();

        assertThat(Isolation.standing(pod, null, NONE)).isEqualTo(Standing.STRANGER);
        assertThat(Isolation.standing(daemonSetPod("mon", "exporter"), null, List.of("mon/exporter")))
                .isEqualTo(Standing.ALLOWED);
    }

    @Test
    void theOwnerOfADedicatedNodeIsInItsNameAndAPoolNodeHasOneOnlyOnceItsClaimIsComplete() {
        assertThat(NodeOwner.of(Names.nodeName(OWNER), null)).isEqualTo(new NodeOwner(NodeOwner.Kind.DEDICATED, OWNER));
        assertThat(NodeOwner.needsNode(Names.nodeName(OWNER))).isFalse();

        String pool = Names.POOL_NODE_PREFIX + "x7k2pq9w3a";
        assertThat(NodeOwner.needsNode(pool)).isTrue();
        assertThat(NodeOwner.of(pool, null)).isEqualTo(new NodeOwner(NodeOwner.Kind.POOL, null));
        Node claimedBySelfLabelOnly = new NodeBuilder()
                .withNewMetadata()
                .withName(pool)
                .addToLabels(Names.POD_UID_LABEL, OWNER)
                .endMetadata()
                .build();
        assertThat(NodeOwner.of(pool, claimedBySelfLabelOnly).kind())
                .as("a node's own label is never trusted")
                .isEqualTo(NodeOwner.Kind.POOL);
        Node claimed = new NodeBuilder(claimedBySelfLabelOnly)
                .editMetadata()
                .addToLabels(Names.VERIFIED_POD_UID_LABEL, OWNER)
                .endMetadata()
                .build();
        assertThat(NodeOwner.of(pool, claimed)).isEqualTo(new NodeOwner(NodeOwner.Kind.CLAIMED_POOL, OWNER));

        assertThat(NodeOwner.of("maroon-worker-1", null)).isEqualTo(new NodeOwner(NodeOwner.Kind.OTHER, null));
    }

    @Test
    void patternsMatchANamespaceOrOneDaemonSet() {
        assertThat(Isolation.allowed("kube-system/calico-node", KUBE_SYSTEM)).isTrue();
        assertThat(Isolation.allowed("kube-systemx/calico-node", KUBE_SYSTEM)).isFalse();
        assertThat(Isolation.allowed("mon/node-exporter", List.of("mon/node-exporter")))
                .isTrue();
        assertThat(Isolation.allowed("mon/node-exporter-2", List.of("mon/node-exporter")))
                .isFalse();
    }
}
