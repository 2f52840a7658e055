package io.maroonedpods.simulator.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.maroonedpods.api.Names;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The simulated Kubernetes API server: fabric8's CRUD mock server on 127.0.0.1 (plain http), behind
 * {@link FrontDispatcher}. Knows the KubeVirt VMI and MaroonedPodsConfig resources for discovery.
 */
public final class ApiServer implements AutoCloseable {

    public static final List<CustomResourceDefinitionContext> CUSTOM_RESOURCES = List.of(
            new CustomResourceDefinitionContext.Builder().withGroup("kubevirt.io").withVersion("v1")
                    .withPlural("virtualmachineinstances").withKind("VirtualMachineInstance").withScope("Namespaced").build(),
            new CustomResourceDefinitionContext.Builder().withGroup(Names.GROUP).withVersion("v1alpha1")
                    .withPlural("maroonedpodsconfigs").withKind("MaroonedPodsConfig").withScope("Cluster").build());

    /**
     * HTTP clients chosen explicitly (with both on the classpath fabric8 would pick at random): the components get the
     * JDK client they run with in production (their poms exclude Vert.x), the simulator's own parts get Vert.x.
     */
    private static final HttpClient.Factory COMPONENT_HTTP = new JdkHttpClientFactory();
    private static final HttpClient.Factory SIMULATOR_HTTP = new VertxHttpClientFactory();

    private final KubernetesMockServer server;
    private final FrontDispatcher front;
    private final FaultInjector faults;

    private ApiServer(KubernetesMockServer server, FrontDispatcher front, FaultInjector faults) {
        this.server = server;
        this.front = front;
        this.faults = faults;
    }

    /** Starts the server on an ephemeral loopback port. */
    public static ApiServer start(FaultInjector faults, Clock clock) {
        KubernetesCrudDispatcher store = new KubernetesCrudDispatcher(CUSTOM_RESOURCES);
        FrontDispatcher front = new FrontDispatcher(store, faults, clock);
        KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
                new MockWebServer(), new HashMap<>(), front, false);
        server.start(InetAddress.getLoopbackAddress(), 0);
        return new ApiServer(server, front, faults);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public FrontDispatcher front() {
        return front;
    }

    public FaultInjector faults() {
        return faults;
    }

    /** A client for the simulator's own parts (the simulated kube-scheduler, KubeVirt, kubelets): never faulted. */
    public KubernetesClient simulatorClient() {
        return client(Map.of(), SIMULATOR_HTTP);
    }

    /** A client for a real component: its requests carry the caller header and get the injected faults. */
    public KubernetesClient componentClient() {
        return client(Map.of(FrontDispatcher.CALLER_HEADER, FrontDispatcher.COMPONENT_CALLER), COMPONENT_HTTP);
    }

    private KubernetesClient client(Map<String, String> headers, HttpClient.Factory http) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withNamespace("default")
                .withHttp2Disable(true)
                .withCustomHeaders(headers)
                .build();
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(http).build();
    }

    /** Writes a kubeconfig that points kubectl at this server and returns its path. */
    public Path writeKubeconfig(Path file) throws IOException {
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: maroonedpods-simulator
                    cluster:
                      server: %s
                contexts:
                  - name: maroonedpods-simulator
                    context:
                      cluster: maroonedpods-simulator
                      user: maroonedpods-simulator
                      namespace: default
                current-context: maroonedpods-simulator
                users:
                  - name: maroonedpods-simulator
                    user: {}
                """.formatted(url());
        Files.writeString(file, kubeconfig);
        return file;
    }

    /** Drops the mock server's record of past requests, which it otherwise keeps for ever. */
    public void forgetRecordedRequests() {
        try {
            while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
                // discard
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
