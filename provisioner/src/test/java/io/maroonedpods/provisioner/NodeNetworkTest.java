package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.NodeLan;
import io.maroonedpods.api.config.MaroonedPodsConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec.JoinConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec.NodeNetwork;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The node network as the provisioner applies it: on the pod network a multi-node host cluster is refused (its other
 * nodes could not reach the VMs), on the node LAN the VM gets the Multus NIC and its node is verified by its address.
 */
class NodeNetworkTest extends FlowCluster {
    static final MaroonedPodsConfigSpec NODE_LAN = new MaroonedPodsConfigSpec(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            new JoinConfig("https://192.168.50.10:6443", null),
            null,
            null,
            null,
            null,
            null,
            new NodeNetwork("kube-system/node-lan"));

    void hostNodes(String... names) {
        for (String name : names) {
            client.nodes()
                    .resource(new NodeBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .endMetadata()
                            .build())
                    .create();
        }
    }

    @Test
    void onThePodNetworkAMultiNodeHostClusterGetsNoVmAndAWarningThatSaysWhatToSet() {
        hostNodes("server-1", "worker-1");
        startProvisioner();

        Pod pod = createPod("web");

        await().atMost(PATIENCE).until(() -> reasons(pod).contains("NodeNetworkUnsupported"));
        Event warning = events(pod).stream()
                .filter(e -> "NodeNetworkUnsupported".equals(e.getReason()))
                .findFirst()
                .orElseThrow();
        assertThat(warning.getType()).isEqualTo("Warning");
        assertThat(warning.getNote())
                .startsWith("spec.nodeNetwork: unset, so VM nodes would sit on the pod network,"
                        + " which carries their traffic only on a single-node host cluster")
                .contains("set spec.nodeNetwork.networkAttachment");
        await().during(Duration.ofSeconds(1)).atMost(PATIENCE).until(() -> vmi(pod) == null);
    }

    @Test
    void onThePodNetworkASingleNodeHostClusterGetsItsVmWhateverVmNodesExist() {
        hostNodes("server-1");
        // VM nodes are no host nodes, labelled or not (one that has not labelled itself, a leftover).
        hostNodes(Names.NODE_PREFIX + "leftover");
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(Names.POOL_NODE_PREFIX + "abc12")
                        .addToLabels(Names.POOL_LABEL, "true")
                        .endMetadata()
                        .build())
                .create();
        startProvisioner();

        Pod pod = createPod("web");

        verifiedNode(pod);
        assertThat(reasons(pod)).doesNotContain("NodeNetworkUnsupported");
    }

    @Test
    void onTheNodeLanTheVmGetsTheMultusNicAndItsNodeIsVerifiedByItsLanAddress() {
        hostNodes("server-1", "worker-1", "worker-2");
        configure(NODE_LAN);
        startProvisioner();

        Pod pod = createPod("web");
        VirtualMachineInstance vmi = awaitRunningVmi(pod);

        assertThat(vmi.getSpec().networks)
                .singleElement()
                .satisfies(n -> assertThat(n.multus.networkName).isEqualTo("kube-system/node-lan"));
        assertThat(vmi.getSpec().domain.devices.interfaces.get(0).macAddress)
                .isEqualTo(NodeLan.macAddress(vmi.getMetadata().getName()));
        String lanAddress = vmi.getStatus().interfaces.stream()
                .filter(i -> NodeLan.NETWORK_NAME.equals(i.name))
                .findFirst()
                .orElseThrow()
                .ipAddress;
        String node = verifiedNode(pod);
        assertThat(client.nodes().withName(node).get().getStatus().getAddresses())
                .anySatisfy(a -> assertThat(a.getAddress()).isEqualTo(lanAddress));
        assertThat(readyCondition())
                .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
    }

    @Test
    void theConfigStatusSaysWhyThePodNetworkIsRefused() {
        hostNodes("server-1", "worker-1");
        configure(MaroonedPodsConfigSpec.empty());
        startProvisioner();

        await().atMost(PATIENCE).until(() -> readyCondition().isPresent());
        assertThat(readyCondition()).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("NodeNetworkUnsupported");
            assertThat(c.getMessage()).startsWith("spec.nodeNetwork: unset");
        });
        assertThat(KubeVirt.vmis(client, VM_NS).list().getItems()).isEmpty();
    }

    private Optional<Condition> readyCondition() {
        MaroonedPodsConfig config = client.resources(MaroonedPodsConfig.class)
                .withName(Names.CONFIG_NAME)
                .get();
        return config == null
                        || config.getStatus() == null
                        || config.getStatus().conditions() == null
                ? Optional.empty()
                : config.getStatus().conditions().stream()
                        .filter(c -> "Ready".equals(c.getType()))
                        .findFirst();
    }
}
