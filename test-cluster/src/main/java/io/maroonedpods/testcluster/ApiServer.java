package io.maroonedpods.testcluster;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.maroonedpods.testcluster.store.NamespaceLifecycle;
import io.maroonedpods.testcluster.store.ObjectStore;
import io.maroonedpods.testcluster.store.ResourcePath;
import io.maroonedpods.testcluster.store.ServedResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The simulated Kubernetes API server: our own indexed {@link ObjectStore} behind {@link ApiHandler}, served over
 * plain HTTP on 127.0.0.1 by {@link ApiHttpServer}. It starts with the namespaces every cluster has (default,
 * kube-system, kube-public, kube-node-lease) and nothing else.
 */
public final class ApiServer implements AutoCloseable {
    /** Events kept per resource for watches that resume from a resourceVersion; older ones answer 410 Expired. */
    static final int WATCH_HISTORY = 10_000;

    /** The components get the JDK HTTP client they run with in production (their poms exclude Vert.x's). */
    private static final HttpClient.Factory COMPONENT_HTTP = new JdkHttpClientFactory();

    private final ApiHttpServer server;
    private final ApiHandler front;
    private final FaultInjector faults;

    private ApiServer(ApiHttpServer server, ApiHandler front, FaultInjector faults) {
        this.server = server;
        this.front = front;
        this.faults = faults;
    }

    /** Starts the server on an ephemeral loopback port. */
    public static ApiServer start(FaultInjector faults, Clock clock) {
        return start(faults, clock, WATCH_HISTORY);
    }

    /** @param watchHistory events kept per resource for watches that resume from a resourceVersion */
    static ApiServer start(FaultInjector faults, Clock clock, int watchHistory) {
        ObjectStore store = new ObjectStore(clock, watchHistory, ServedResources.builtIns());
        ResourcePath namespaces = ResourcePath.parse("/api/v1/namespaces");
        for (String name : NamespaceLifecycle.INITIAL) {
            ObjectNode namespace = JsonNodeFactory.instance.objectNode();
            namespace
                    .put("apiVersion", "v1")
                    .put("kind", "Namespace")
                    .putObject("metadata")
                    .put("name", name);
            store.create(namespaces, namespace);
        }
        ApiHandler front = new ApiHandler(store, faults, clock);
        int eventLoops = Math.max(2, Runtime.getRuntime().availableProcessors());
        return new ApiServer(ApiHttpServer.start(front, eventLoops), front, faults);
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public ApiHandler front() {
        return front;
    }

    public FaultInjector faults() {
        return faults;
    }

    /**
     * A client for the simulator's own parts (the simulated kube-scheduler, KubeVirt, kubelets): never faulted, and
     * in process ({@link InProcessHttpClient}): the same API, without the HTTP between two parts of one JVM.
     */
    public KubernetesClient simulatorClient() {
        return client(Map.of(), new InProcessHttpClient.Factory(front));
    }

    /**
     * A client for a real component: its requests carry the caller header and get the injected faults, and its
     * configuration names the cluster CA, as a kubeconfig or a service account's ca.crt would.
     */
    public KubernetesClient componentClient() {
        KubernetesClient client = client(Map.of(ApiHandler.CALLER_HEADER, ApiHandler.COMPONENT_CALLER), COMPONENT_HTTP);
        client.getConfiguration().setCaCertData(ClusterCa.kubeconfigData());
        return client;
    }

    private KubernetesClient client(Map<String, String> headers, HttpClient.Factory http) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withNamespace("default")
                .withHttp2Disable(true)
                .withCustomHeaders(headers)
                .build();
        return new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientFactory(http)
                .build();
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

    @Override
    public void close() {
        server.close();
    }
}
