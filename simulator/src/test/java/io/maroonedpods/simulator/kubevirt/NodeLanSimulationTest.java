package io.maroonedpods.simulator.kubevirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.NodeLan;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.vm.DesiredVm;
import io.maroonedpods.provisioner.vm.VmSize;
import io.maroonedpods.simulator.cluster.ApiServer;
import io.maroonedpods.simulator.cluster.FaultInjector;
import io.maroonedpods.simulator.node.SimulatedNodeBoot;
import io.maroonedpods.simulator.workload.ClusterSeed;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A VM on the node LAN in the simulated cluster: KubeVirt reports its Multus NIC under the network's name with the
 * MAC the VMI asked for and a LAN address, and the node registers exactly that address, as the boot script would.
 */
class NodeLanSimulationTest {
    static final String VM = "maroon-pool-lan01";
    static final EffectiveConfig CONFIG = EffectiveConfig.of(ClusterSeed.configSpec());

    private ApiServer server;
    private KubernetesClient client;
    private ScheduledExecutorService timers;

    @BeforeEach
    void start() {
        server = ApiServer.start(new FaultInjector(0, 1), Clock.systemUTC());
        client = server.simulatorClient();
        timers = Executors.newScheduledThreadPool(2);
    }

    @AfterEach
    void stop() {
        timers.shutdownNow();
        client.close();
        server.close();
    }

    @Test
    void kubeVirtReportsTheNodeLanNicAndTheNodeRegistersItsAddress() {
        SimulatedNodeBoot boot = new SimulatedNodeBoot(client, "the-token", Duration.ZERO, timers, Clock.systemUTC());
        try (SimulatedKubeVirt kubevirt = new SimulatedKubeVirt(client, CONFIG.vmNamespace(),
                BootTimings.ofBootSeconds(0.3), 0, 1, List.of("worker-1"), boot, timers).start()) {
            Secret userdata = DesiredVm.userdataSecret(VM, "", Map.of(), Map.of(), CONFIG, "the-token");
            client.secrets().inNamespace(CONFIG.vmNamespace()).resource(userdata).create();
            VirtualMachineInstance vmi = DesiredVm.vmi(VM, Map.of(), Map.of(), new VmSize(1, 1024), CONFIG,
                    "11111111-2222-3333-4444-555555555555");
            client.genericKubernetesResources(SimulatedKubeVirt.VMI).inNamespace(CONFIG.vmNamespace())
                    .resource(Serialization.unmarshal(Serialization.asJson(vmi), GenericKubernetesResource.class))
                    .create();

            await().atMost(Duration.ofSeconds(10)).until(() -> client.nodes().withName(VM).get() != null);
            GenericKubernetesResource running = client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                    .inNamespace(CONFIG.vmNamespace()).withName(VM).get();
            Map<String, Object> iface = running.get("status", "interfaces", 0);
            assertThat(iface).containsEntry("name", NodeLan.NETWORK_NAME)
                    .containsEntry("mac", NodeLan.macAddress(VM));
            assertThat((String) iface.get("infoSource")).contains("guest-agent");
            assertThat((String) iface.get("ipAddress")).startsWith("192.168.");
            Node node = client.nodes().withName(VM).get();
            assertThat(node.getStatus().getAddresses()).filteredOn(a -> "InternalIP".equals(a.getType()))
                    .extracting(NodeAddress::getAddress).containsExactly((String) iface.get("ipAddress"));
            assertThat(kubevirt.bootProblems()).isEmpty();
        }
    }

    @Test
    void theSimulatedClusterPutsItsVmsOnTheNodeLan() {
        assertThat(CONFIG.onNodeLan()).isTrue();
        assertThat(CONFIG.nodeNetworkAttachment()).isEqualTo(Names.DEFAULT_VMI_NAMESPACE + "/" + NodeLan.NETWORK_NAME);
        assertThat(CONFIG.serverUrl()).isEqualTo(ClusterSeed.SERVER_URL);
    }
}
