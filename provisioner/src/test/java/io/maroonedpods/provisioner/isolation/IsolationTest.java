package io.maroonedpods.provisioner.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IsolationTest {
    static final String OWNER = "5f1c3a9e-2b7d-4c1e-9a0f-3d2e1b4c5a6f";
    static final List<String> KUBE_SYSTEM = List.of("kube-system/*");

    static PodBuilder pod(String namespace, String name, String uid) {
        return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).withUid(uid).endMetadata()
                .withNewSpec().withNodeName("maroon-" + OWNER).endSpec();
    }

    static Pod daemonSetPod(String namespace, String daemonSet) {
        return pod(namespace, daemonSet + "-x7k2p", "ds-" + daemonSet).editMetadata().addNewOwnerReference()
                .withApiVersion("apps/v1").withKind("DaemonSet").withName(daemonSet).withUid("u").withController(true)
                .endOwnerReference().endMetadata().build();
    }

    @Test
    void onlyTheOwnerAndAllowedDaemonSetsMayStay() {
        Pod owner = pod("team-a", "web", OWNER).build();
        Pod wildcard = pod("team-b", "sneaky", "u-2").editSpec().addNewToleration().withOperator("Exists")
                .endToleration().endSpec().build();
        Pod cni = daemonSetPod("kube-system", "calico-node");
        Pod tenantDaemon = daemonSetPod("team-b", "log-shipper");

        assertThat(Isolation.intruders(List.of(owner, wildcard, cni, tenantDaemon), OWNER, KUBE_SYSTEM))
                .containsExactly(wildcard, tenantDaemon);
        assertThat(Isolation.intruders(List.of(cni), OWNER, List.of())).containsExactly(cni);
        assertThat(Isolation.intruders(List.of(tenantDaemon), OWNER, List.of("team-b/log-shipper"))).isEmpty();
    }

    @Test
    void finishedDeletingAndStaticPodsAreLeftAlone() {
        Pod finished = pod("team-b", "done", "u-3").withNewStatus().withPhase("Succeeded").endStatus().build();
        Pod deleting = pod("team-b", "going", "u-4").editMetadata().withDeletionTimestamp("2026-11-25T08:00:00Z")
                .endMetadata().build();
        Pod mirror = pod("kube-system", "static", "u-5").editMetadata()
                .withAnnotations(Map.of(Isolation.MIRROR_POD_ANNOTATION, "abc")).endMetadata().build();

        assertThat(Isolation.intruders(List.of(finished, deleting, mirror), OWNER, List.of())).isEmpty();
    }

    @Test
    void patternsMatchANamespaceOrOneDaemonSet() {
        assertThat(Isolation.allowed("kube-system/calico-node", KUBE_SYSTEM)).isTrue();
        assertThat(Isolation.allowed("kube-systemx/calico-node", KUBE_SYSTEM)).isFalse();
        assertThat(Isolation.allowed("mon/node-exporter", List.of("mon/node-exporter"))).isTrue();
        assertThat(Isolation.allowed("mon/node-exporter-2", List.of("mon/node-exporter"))).isFalse();
    }
}
