package io.maroonedpods.testcluster.kubevirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maroonedpods.api.NodeLan;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.api.k3s.BootstrapToken;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.join.JoinPin;
import io.maroonedpods.provisioner.join.JoinSecrets;
import io.maroonedpods.provisioner.join.VmCredentials;
import io.maroonedpods.provisioner.vm.DesiredVm;
import io.maroonedpods.provisioner.vm.VmSize;
import io.maroonedpods.testcluster.ApiServer;
import io.maroonedpods.testcluster.ClusterCa;
import io.maroonedpods.testcluster.ClusterCrds;
import io.maroonedpods.testcluster.ClusterSeed;
import io.maroonedpods.testcluster.FaultInjector;
import io.maroonedpods.testcluster.node.SimulatedNodeBoot;
import io.maroonedpods.testcluster.node.SimulatedSupervisor;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatedKubeVirtTest {
    private ApiServer server;
    private KubernetesClient client;
    private ScheduledExecutorService timers;

    @BeforeEach
    void start() {
        server = ApiServer.start(new FaultInjector(0, 1), Clock.systemUTC());
        client = server.simulatorClient();
        ClusterCrds.install(client);
        client.resource(ClusterSeed.namespace("vms")).create();
        timers = Executors.newScheduledThreadPool(2);
    }

    @AfterEach
    void stop() {
        timers.shutdownNow();
        client.close();
        server.close();
    }

    private SimulatedKubeVirt kubevirt(double failureRate) {
        SimulatedNodeBoot boot = new SimulatedNodeBoot(
                client,
                new SimulatedSupervisor(client, ClusterCa.hash(), null, Clock.systemUTC()),
                Duration.ZERO,
                timers,
                Clock.systemUTC());
        return new SimulatedKubeVirt(
                        client,
                        "vms",
                        BootTimings.ofBootSeconds(0.3),
                        failureRate,
                        1,
                        List.of("worker-1"),
                        boot,
                        timers)
                .start();
    }

    private void createVmi(String name) {
        GenericKubernetesResource vmi = new GenericKubernetesResourceBuilder()
                .withApiVersion("kubevirt.io/v1")
                .withKind("VirtualMachineInstance")
                .withNewMetadata()
                .withName(name)
                .withNamespace("vms")
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("domain", Map.of())))
                .build();
        client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                .inNamespace("vms")
                .resource(vmi)
                .create();
    }

    private GenericKubernetesResource vmi(String name) {
        return client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                .inNamespace("vms")
                .withName(name)
                .get();
    }

    @Test
    void aVmiRunsOnAWorkerWithAnInterfaceAddressAndAFirmwareUuid() {
        try (SimulatedKubeVirt kubevirt = kubevirt(0)) {
            createVmi("maroon-a");

            await().atMost(Duration.ofSeconds(5))
                    .until(() -> "Running".equals(vmi("maroon-a").get("status", "phase")));
            GenericKubernetesResource running = vmi("maroon-a");
            assertThat((String) running.get("status", "nodeName")).isEqualTo("worker-1");
            assertThat((String) running.get("status", "interfaces", 0, "ipAddress"))
                    .startsWith("10.42.");
            assertThat((String) running.get("spec", "domain", "firmware", "uuid"))
                    .isNotBlank();
            // Its guest has no userdata Secret, so it cannot join: that is reported, not hidden.
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> !kubevirt.bootProblems().isEmpty());
            assertThat(kubevirt.bootProblems())
                    .singleElement()
                    .asString()
                    .contains("maroon-a")
                    .contains("no cloudInitNoCloud");
        }
    }

    @Test
    void aFailingVmiEndsFailedWithoutEverRunning() {
        try (SimulatedKubeVirt kubevirt = kubevirt(1.0)) {
            createVmi("maroon-b");

            await().atMost(Duration.ofSeconds(5))
                    .until(() -> "Failed".equals(vmi("maroon-b").get("status", "phase")));
            assertThat((Object) vmi("maroon-b").get("status", "interfaces")).isNull();
            assertThat(kubevirt.bootProblems()).isEmpty();
        }
    }

    /** On the node LAN (the simulated cluster's configuration): the Multus NIC; the node registers its address. */
    @Test
    void onTheNodeLanKubeVirtReportsTheMultusNicAndTheNodeRegistersItsAddress() {
        EffectiveConfig config = EffectiveConfig.of(ClusterSeed.configSpec());
        assertThat(config.onNodeLan()).isTrue();
        String name = "maroon-pool-lan01";
        try (SimulatedKubeVirt kubevirt = kubevirt(0)) {
            // The VM's own credentials, as the provisioner mints and installs them, pinned to the cluster CA.
            VmCredentials credentials = VmCredentials.mint(new SecureRandom());
            client.secrets()
                    .inNamespace(BootstrapToken.NAMESPACE)
                    .resource(JoinSecrets.bootstrapToken(
                            credentials.token(), name, Instant.now().plusSeconds(300)))
                    .create();
            client.secrets()
                    .inNamespace(BootstrapToken.NAMESPACE)
                    .resource(JoinSecrets.nodePassword(name, credentials.passwordHash()))
                    .create();
            JoinPin pin = JoinPin.fromConfiguredToken("K10" + ClusterCa.hash() + "::", "test");
            Secret userdata = DesiredVm.userdataSecret(name, "", Map.of(), Map.of(), config, credentials, pin);
            userdata.getMetadata().setNamespace("vms");
            client.secrets().inNamespace("vms").resource(userdata).create();
            VirtualMachineInstance vmi = DesiredVm.vmi(name, Map.of(), Map.of(), new VmSize(1, 1024), config, "f-1");
            vmi.getMetadata().setNamespace("vms");
            client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                    .inNamespace("vms")
                    .resource(Serialization.unmarshal(Serialization.asJson(vmi), GenericKubernetesResource.class))
                    .create();

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.nodes().withName(name).get() != null);
            Map<String, Object> iface = vmi(name).get("status", "interfaces", 0);
            assertThat(iface)
                    .containsEntry("name", NodeLan.NETWORK_NAME)
                    .containsEntry("mac", NodeLan.macAddress(name));
            assertThat((String) iface.get("infoSource")).contains("guest-agent");
            assertThat((String) iface.get("ipAddress")).startsWith("192.168.");
            Node node = client.nodes().withName(name).get();
            assertThat(node.getStatus().getAddresses())
                    .filteredOn(a -> "InternalIP".equals(a.getType()))
                    .extracting(NodeAddress::getAddress)
                    .containsExactly((String) iface.get("ipAddress"));
            assertThat(kubevirt.bootProblems()).isEmpty();
        }
    }
}
