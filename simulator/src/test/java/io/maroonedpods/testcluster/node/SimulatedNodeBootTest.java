package io.maroonedpods.testcluster.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.NodeIdentity;
import io.maroonedpods.api.Userdata;
import io.maroonedpods.api.k3s.BootstrapToken;
import io.maroonedpods.api.k3s.K3sToken;
import io.maroonedpods.api.k3s.NodePasswordHash;
import io.maroonedpods.api.k3s.SupervisorRules;
import io.maroonedpods.provisioner.join.JoinSecrets;
import io.maroonedpods.testcluster.ApiServer;
import io.maroonedpods.testcluster.ClusterCa;
import io.maroonedpods.testcluster.ClusterCrds;
import io.maroonedpods.testcluster.ClusterSeed;
import io.maroonedpods.testcluster.FaultInjector;
import io.maroonedpods.testcluster.kubevirt.SimulatedKubeVirt;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatedNodeBootTest {
    private static final String UID = "0b7c2a4e-1f2d-4c3b-9a8e-5d6f7a8b9c0d";
    private static final String FIRMWARE = "11111111-2222-3333-4444-555555555555";
    private static final String PASSWORD = "0123456789abcdef0123456789abcdef";
    private static final String CLUSTER_TOKEN = "K10" + ClusterCa.hash() + "::node:the-clusters-own-token";

    private ApiServer server;
    private KubernetesClient client;
    private ScheduledExecutorService timers;
    private SimulatedNodeBoot boot;

    @BeforeEach
    void start() {
        server = ApiServer.start(new FaultInjector(0, 1), Clock.systemUTC());
        client = server.simulatorClient();
        ClusterCrds.install(client);
        client.resource(ClusterSeed.namespace("vms")).create();
        timers = Executors.newSingleThreadScheduledExecutor();
        boot = new SimulatedNodeBoot(
                client,
                new SimulatedSupervisor(client, ClusterCa.hash(), CLUSTER_TOKEN, Clock.systemUTC()),
                Duration.ofMillis(200),
                timers,
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        timers.shutdownNow();
        client.close();
        server.close();
    }

    private JoinInfo join(String token) {
        return join(token, PASSWORD);
    }

    private JoinInfo join(String token, String nodePassword) {
        return new JoinInfo(
                "https://kubernetes.default.svc:443",
                token,
                UID,
                Names.DEFAULT_TAINT_KEY,
                Names.nodeName(UID),
                nodePassword);
    }

    /** A VM's own token, as the provisioner mints it: its Secret in kube-system, pinned to the cluster CA. */
    private String bootstrapToken(Instant expiresAt) {
        BootstrapToken token = BootstrapToken.random(new SecureRandom());
        client.secrets()
                .inNamespace(BootstrapToken.NAMESPACE)
                .resource(JoinSecrets.bootstrapToken(token, Names.nodeName(UID), expiresAt))
                .create();
        return K3sToken.format(ClusterCa.hash(), token);
    }

    /** The node name bound to a password before the VM boots, as the provisioner does it. */
    private void lockName(String password) {
        client.secrets()
                .inNamespace(Names.K3S_NODE_PASSWORD_NAMESPACE)
                .resource(JoinSecrets.nodePassword(
                        Names.nodeName(UID),
                        NodePasswordHash.create(password, new SecureRandom(), NodePasswordHash.PROVISIONER)))
                .create();
    }

    private GenericKubernetesResource vmiWithUserdata(JoinInfo join) {
        String vmiName = Names.nodeName(UID);
        client.secrets()
                .inNamespace("vms")
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(Names.userdataSecretName(vmiName))
                        .withNamespace("vms")
                        .endMetadata()
                        .withData(Map.of(
                                Names.USERDATA_KEY,
                                Base64.getEncoder()
                                        .encodeToString(Userdata.render(join).getBytes(StandardCharsets.UTF_8))))
                        .build())
                .create();
        GenericKubernetesResource vmi = new GenericKubernetesResourceBuilder()
                .withApiVersion("kubevirt.io/v1")
                .withKind("VirtualMachineInstance")
                .withNewMetadata()
                .withName(vmiName)
                .withNamespace("vms")
                .endMetadata()
                .withAdditionalProperties(Map.of(
                        "spec",
                        Map.of(
                                "domain",
                                        Map.of(
                                                "cpu",
                                                Map.of("cores", 2),
                                                "memory",
                                                Map.of("guest", "2Gi"),
                                                "firmware",
                                                Map.of("uuid", FIRMWARE)),
                                "volumes",
                                        List.of(Map.of(
                                                "name",
                                                "cloudinit",
                                                "cloudInitNoCloud",
                                                Map.of(
                                                        "secretRef",
                                                        Map.of("name", Names.userdataSecretName(vmiName))))))))
                .build();
        return client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                .inNamespace("vms")
                .resource(vmi)
                .create();
    }

    @Test
    void registersTheNodeTheBootScriptAndKubeletWouldAndTurnsItReady() {
        SimulatedNodeLifecycle lifecycle = new SimulatedNodeLifecycle(client, timers, Duration.ofMillis(100));
        JoinInfo join = join(bootstrapToken(Instant.now().plusSeconds(300)));
        lockName(PASSWORD);
        assertThat(boot.boot(vmiWithUserdata(join), "10.42.1.7")).isEmpty();

        Node node = client.nodes().withName(Names.nodeName(UID)).get();
        assertThat(node.getMetadata().getLabels())
                .containsAllEntriesOf(NodeIdentity.selfLabels(join))
                .doesNotContainKey(Names.VERIFIED_POD_UID_LABEL);
        assertThat(node.getSpec().getTaints())
                .contains(NodeIdentity.registrationTaint(join))
                .anyMatch(t -> t.getKey().equals(NodeRegistration.NOT_READY_TAINT));
        assertThat(node.getStatus().getAddresses())
                .anyMatch(
                        a -> a.getType().equals("InternalIP") && a.getAddress().equals("10.42.1.7"));
        assertThat(node.getStatus().getNodeInfo().getSystemUUID()).isEqualTo(FIRMWARE);
        assertThat(node.getStatus().getCapacity().get("cpu").toString()).isEqualTo("2");
        assertThat(client.secrets()
                        .inNamespace("kube-system")
                        .withName(Names.k3sNodePasswordSecret(Names.nodeName(UID)))
                        .get())
                .isNotNull();

        await().atMost(Duration.ofSeconds(5)).until(() -> {
            Node now = client.nodes().withName(Names.nodeName(UID)).get();
            return now.getStatus().getConditions().stream()
                            .anyMatch(c ->
                                    c.getType().equals("Ready") && c.getStatus().equals("True"))
                    && now.getSpec().getTaints().stream()
                            .noneMatch(t -> t.getKey().equals(NodeRegistration.NOT_READY_TAINT))
                    && now.getSpec().getTaints().contains(NodeIdentity.registrationTaint(join));
        });
        lifecycle.close();
    }

    @Test
    void aWrongJoinTokenIsRejectedWithoutRevealingIt() {
        var problem =
                boot.boot(vmiWithUserdata(join("K10" + ClusterCa.hash() + "::node:not-the-clusters")), "10.42.1.8");
        assertThat(problem)
                .hasValueSatisfying(p -> assertThat(p)
                        .contains("the k3s server rejected the join token")
                        .doesNotContain("not-the-clusters"));
        assertThat(client.nodes().list().getItems()).isEmpty();
    }

    @Test
    void anExpiredOrDeletedBootstrapTokenOrOnePinnedToAnotherCaJoinsNothing() {
        assertThat(bootAgain(join(bootstrapToken(Instant.now().minusSeconds(1)))))
                .hasValueSatisfying(p -> assertThat(p).contains("expired"));
        assertThat(bootAgain(join(K3sToken.format(ClusterCa.hash(), BootstrapToken.random(new SecureRandom())))))
                .hasValueSatisfying(p -> assertThat(p).contains("no bootstrap token with id"));
        String elsewhere = bootstrapToken(Instant.now().plusSeconds(300)).replace(ClusterCa.hash(), "0".repeat(64));
        assertThat(bootAgain(join(elsewhere)))
                .hasValueSatisfying(p -> assertThat(p).contains("CA hash does not match"));
        assertThat(client.nodes().list().getItems()).isEmpty();
    }

    /** The VM of {@code join} boots, in place of any earlier one. */
    private java.util.Optional<String> bootAgain(JoinInfo join) {
        client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                .inNamespace("vms")
                .delete();
        client.secrets().inNamespace("vms").delete();
        return boot.boot(vmiWithUserdata(join), "10.42.1.8");
    }

    @Test
    void aForgedRegistrationOfANodeNameWithoutItsVmsPasswordIsRefusedBeforeAnyNodeExists() {
        lockName(PASSWORD);
        // A live token of another VM, the name of this pod's node, and a password of the forger's own.
        JoinInfo forged = join(bootstrapToken(Instant.now().plusSeconds(300)), "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0");

        assertThat(boot.boot(vmiWithUserdata(forged), "10.42.1.9"))
                .hasValueSatisfying(p -> assertThat(p)
                        .contains("rejected node " + Names.nodeName(UID))
                        .contains(SupervisorRules.PASSWORD_REJECTED));
        assertThat(client.nodes().list().getItems()).as("no Node exists").isEmpty();
    }

    @Test
    void aNameWithoutAPasswordSecretGetsOneAsK3sMakesIt() {
        assertThat(boot.boot(vmiWithUserdata(join(CLUSTER_TOKEN)), "10.42.1.9")).isEmpty();
        var secret = client.secrets()
                .inNamespace(Names.K3S_NODE_PASSWORD_NAMESPACE)
                .withName(Names.k3sNodePasswordSecret(Names.nodeName(UID)))
                .get();
        assertThat(secret.getType()).isEqualTo("k3s.cattle.io/node-password");
        assertThat(SupervisorRules.passwordRefusal(Names.nodeName(UID), secret, PASSWORD))
                .isEmpty();
    }

    @Test
    void aVmiWithoutItsSecretDoesNotJoin() {
        GenericKubernetesResource vmi = vmiWithUserdata(join(CLUSTER_TOKEN));
        client.secrets()
                .inNamespace("vms")
                .withName(Names.userdataSecretName(vmi.getMetadata().getName()))
                .delete();
        assertThat(boot.boot(vmi, "10.42.1.10"))
                .hasValueSatisfying(p -> assertThat(p).contains("does not exist"));
    }
}
