package io.maroonedpods.provisioner;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.api.config.MaroonedPodsConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec;
import io.maroonedpods.api.k3s.BootstrapToken;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.testcluster.ClusterCa;
import io.maroonedpods.testcluster.TestCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A cluster for the provisioner's flow tests: test-cluster's API server (which refuses what kube-apiserver refuses),
 * its simulated KubeVirt and garbage collector, the node lifecycle controller, guests that boot when the test says so
 * ({@link Guests}), and the provisioner under test running in-process exactly as the simulator runs it. The cluster's
 * own agent token sits in the Secret an earlier install was told to create: it must never reach a VM.
 */
abstract class FlowCluster {
    static final String VM_NS = Names.DEFAULT_VMI_NAMESPACE;
    /** The hash k3s pins in tokens for the fake cluster's CA, which its clients trust. */
    static final String CLUSTER_CA_HASH = ClusterCa.hash();

    static final String CLUSTER_TOKEN = "K10" + CLUSTER_CA_HASH + "::node:0123456789abcdef-the-clusters-agent-token";
    /** How long to wait for the provisioner to act: generous, the build machine's CPUs are shared. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    TestCluster cluster;
    KubernetesClient client;
    final MovableClock clock = new MovableClock(Instant.now());
    final List<Provisioner> provisioners = new ArrayList<>();
    final List<AutoCloseable> toClose = new ArrayList<>();
    private SimulatedVms vms;
    Guests agent;
    PoolVms pool;

    @BeforeEach
    void startCluster() {
        cluster = TestCluster.start(
                "team-a", "team-b", BootstrapToken.NAMESPACE, EffectiveConfig.DEFAULT_SYSTEM_NAMESPACE);
        client = cluster.client();
        client.secrets()
                .inNamespace(EffectiveConfig.DEFAULT_SYSTEM_NAMESPACE)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("maroonedpods-join-token")
                        .endMetadata()
                        .addToData("token", base64(CLUSTER_TOKEN))
                        .build())
                .create();
        vms = new SimulatedVms(client, VM_NS, CLUSTER_CA_HASH, CLUSTER_TOKEN, clock);
        agent = vms.guests();
        pool = new PoolVms(client, VM_NS, agent);
    }

    /** From now on every new VM fails to start (KubeVirt reports its VMI Failed). */
    void vmsFail() {
        vms.failFromNowOn();
    }

    @AfterEach
    void stopCluster() throws Exception {
        provisioners.forEach(Provisioner::close);
        vms.close();
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        cluster.close();
    }

    ProvisionerConfig testConfig() {
        return ProvisionerConfig.embedded().toBuilder()
                .healthPort(-1)
                .clock(clock)
                .sweepInterval(Duration.ofSeconds(1))
                .build();
    }

    Provisioner startProvisioner() {
        return startProvisioner(testConfig());
    }

    Provisioner startProvisioner(ProvisionerConfig config) {
        return startProvisioner(config, client);
    }

    /**
     * A provisioner whose client does not retry a failed request itself (fabric8 retries 5xx answers by default), so
     * that an API error the test injects reaches the provisioner's own code, as a run of them would.
     */
    Provisioner startProvisionerWithoutClientRetries() {
        KubernetesClient noRetries = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build();
        toClose.add(noRetries);
        return startProvisioner(testConfig(), noRetries);
    }

    Provisioner startProvisioner(ProvisionerConfig config, KubernetesClient as) {
        Provisioner provisioner = Provisioner.start(config, as);
        provisioners.add(provisioner);
        return provisioner;
    }

    void configure(MaroonedPodsConfigSpec spec) {
        MaroonedPodsConfig config = new MaroonedPodsConfig();
        config.getMetadata().setName(Names.CONFIG_NAME);
        config.setSpec(spec);
        client.resource(config).createOr(c -> c.update());
    }

    static MaroonedPodsConfigSpec spec(
            Integer maxBootAttempts, Integer bootTimeoutSeconds, Integer maxConcurrentBoots) {
        return new MaroonedPodsConfigSpec(
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                bootTimeoutSeconds,
                maxBootAttempts,
                maxConcurrentBoots,
                null);
    }

    /** A pod of the team asking for 1 CPU and 1 GiB. */
    Pod createPod(String name) {
        return createPod(new PodBuilder(ProvisioningFlowTest.podTemplate(name))
                .editSpec()
                .editFirstContainer()
                .withNewResources()
                .addToRequests("cpu", new Quantity("1"))
                .addToRequests("memory", new Quantity("1Gi"))
                .endResources()
                .endContainer()
                .endSpec()
                .build());
    }

    Pod createPod(Pod pod) {
        return client.pods().resource(pod).create();
    }

    Pod pod(Pod pod) {
        return client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .get();
    }

    VirtualMachineInstance vmi(Pod pod) {
        return KubeVirt.vmis(client, VM_NS)
                .withName(Names.nodeName(pod.getMetadata().getUid()))
                .get();
    }

    Node node(Pod pod) {
        return client.nodes()
                .withName(Names.nodeName(pod.getMetadata().getUid()))
                .get();
    }

    VirtualMachineInstance awaitRunningVmi(Pod pod) {
        // As virt-launcher, which waits for its cloud-init Secret volume: the guest starts once the Secret exists.
        await().atMost(PATIENCE)
                .until(() -> vmi(pod) != null
                        && "Running".equals(vmi(pod).phase())
                        && client.secrets()
                                        .inNamespace(VM_NS)
                                        .withName(Names.userdataSecretName(
                                                vmi(pod).getMetadata().getName()))
                                        .get()
                                != null);
        return vmi(pod);
    }

    /** Boots the pod's VM, registers its node as the real VM would and waits until the node is verified. */
    String verifiedNode(Pod pod) {
        awaitRunningVmi(pod);
        agent.register(pod.getMetadata().getUid());
        await().atMost(PATIENCE)
                .until(() -> node(pod).getMetadata().getLabels().containsKey(Names.VERIFIED_POD_UID_LABEL));
        return node(pod).getMetadata().getName();
    }

    /** {@code kube-system/bootstrap-token-<id>}, or null. */
    Secret bootstrapSecret(String id) {
        return client.secrets()
                .inNamespace(BootstrapToken.NAMESPACE)
                .withName(BootstrapToken.secretName(id))
                .get();
    }

    /** The names of every bootstrap token in kube-system: live credentials. */
    List<String> bootstrapTokens() {
        return client.secrets().inNamespace(BootstrapToken.NAMESPACE).list().getItems().stream()
                .filter(s -> BootstrapToken.SECRET_TYPE.equals(s.getType()))
                .map(s -> s.getMetadata().getName())
                .toList();
    }

    /** {@code kube-system/<node>.node-password.k3s}, or null. */
    Secret passwordSecret(String node) {
        return client.secrets()
                .inNamespace(Names.K3S_NODE_PASSWORD_NAMESPACE)
                .withName(Names.k3sNodePasswordSecret(node))
                .get();
    }

    static Map<String, String> labelsOf(io.fabric8.kubernetes.api.model.HasMetadata object) {
        return object == null || object.getMetadata().getLabels() == null
                ? Map.of()
                : object.getMetadata().getLabels();
    }

    /** The provisioner's Prometheus page (it must have been started with a health port). */
    static String metrics(Provisioner provisioner) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + provisioner.healthPort() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        }
    }

    List<Event> events(Pod pod) {
        return client.events().v1().events().inNamespace(pod.getMetadata().getNamespace()).list().getItems().stream()
                .filter(e -> pod.getMetadata().getName().equals(e.getRegarding().getName()))
                .toList();
    }

    List<String> reasons(Pod pod) {
        return events(pod).stream().map(Event::getReason).toList();
    }

    /** Any change to the pod wakes the provisioner (tests use it after moving the clock). */
    void touch(Pod pod) {
        client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .edit(p -> {
                    p.getMetadata().setLabels(Map.of("touched", Long.toString(System.nanoTime())));
                    return p;
                });
    }

    /** Changes the pod as another writer (kubectl, the kubelet) would: on its latest copy, again after a conflict. */
    void editPod(Pod pod, UnaryOperator<Pod> change) {
        retriedOnConflict(() -> podResource(pod).edit(change));
    }

    /** Changes the pod's status as its kubelet would: on its latest copy, again after a conflict. */
    void editPodStatus(Pod pod, UnaryOperator<Pod> change) {
        retriedOnConflict(() -> podResource(pod).editStatus(change));
    }

    /** Binds the pod to the node, as a scheduler does: once no scheduling gate holds the pod back. */
    void bind(Pod pod, String node) {
        await().atMost(PATIENCE)
                .until(() -> pod(pod).getSpec().getSchedulingGates().isEmpty());
        client.bindings()
                .inNamespace(pod.getMetadata().getNamespace())
                .resource(TestCluster.binding(pod.getMetadata().getName(), node))
                .create();
    }

    private PodResource podResource(Pod pod) {
        return client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName());
    }

    private static void retriedOnConflict(Runnable write) {
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
