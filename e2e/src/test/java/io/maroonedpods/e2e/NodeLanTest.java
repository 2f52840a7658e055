package io.maroonedpods.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.NodeLan;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.e2e.support.ControlPlane;
import io.maroonedpods.e2e.support.Installation;
import io.maroonedpods.e2e.support.RealClusterExtension;
import io.maroonedpods.e2e.support.Workloads;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.kubevirt.VmiStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The node LAN on a real control plane with two host nodes: each VMI keeps its Multus network through the real API
 * server and KubeVirt's real CRD (a field the schema did not know would be pruned), and its node registers — and is
 * verified by — the address KubeVirt reports for that NIC.
 */
@ExtendWith(RealClusterExtension.class)
class NodeLanTest {
    private static final String VM_NS = EffectiveConfig.defaults().vmNamespace();

    @Test
    void onTheNodeLanEachVmNodeRegistersItsLanAddressAndIsVerifiedByIt(ControlPlane plane) {
        try (Installation install = Installation.install(plane, "secondary-scheduler")
                .withVirtualization(2)
                .withProvisioner(Map.of())
                .withExtender("maroon-scheduler", "maroon-scheduler")
                .withMaroonScheduler()) {
            KubernetesClient admin = plane.adminClient();
            admin.resource(Workloads.maroonDeployment("web", 2)).create();
            install.await(
                    "both maroon pods bound",
                    Duration.ofSeconds(120),
                    () -> install.timeline().boundCount() >= 2);

            for (Pod pod : admin.pods().inNamespace(Installation.TENANT).list().getItems()) {
                String name = pod.getSpec().getNodeName();
                VirtualMachineInstance vmi =
                        KubeVirt.vmis(admin, VM_NS).withName(name).get();
                assertThat(vmi.getSpec().networks)
                        .as("kept by the real API server and KubeVirt's CRD")
                        .singleElement()
                        .satisfies(n -> assertThat(n.multus.networkName).isEqualTo(Installation.NODE_LAN));
                assertThat(vmi.getSpec().domain.devices.interfaces.get(0).macAddress)
                        .isEqualTo(NodeLan.macAddress(name));
                String lanAddress = vmi.getStatus()
                        .interfaceOf(NodeLan.NETWORK_NAME)
                        .map(VmiStatus.InterfaceStatus::addresses)
                        .orElseThrow()
                        .getFirst();
                Node node = admin.nodes().withName(name).get();
                assertThat(node.getStatus().getAddresses())
                        .filteredOn(a -> "InternalIP".equals(a.getType()))
                        .extracting(NodeAddress::getAddress)
                        .containsExactly(lanAddress);
                assertThat(node.getMetadata().getLabels())
                        .containsEntry(
                                Names.VERIFIED_POD_UID_LABEL, pod.getMetadata().getUid());
            }
        }
    }
}
