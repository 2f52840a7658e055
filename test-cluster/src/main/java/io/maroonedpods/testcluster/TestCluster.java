package io.maroonedpods.testcluster;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maroonedpods.api.Names;
import io.maroonedpods.testcluster.store.NamespaceLifecycle;
import io.maroonedpods.testcluster.store.ResourcePath;
import io.maroonedpods.testcluster.store.WatchEvent;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The fake cluster as a component's tests use it: the {@link ApiServer} without injected faults, holding what an
 * installed cluster has (the MaroonedPodsConfig and VMI CRDs, the VM namespace, the tests' namespaces), and what the
 * tests assert on besides the objects: the Bindings it accepted and the requests it received.
 */
public final class TestCluster implements AutoCloseable {
    private final ApiServer server;
    private final KubernetesClient client;
    private final List<String> acceptedBindings = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    /** One request as the server received it: method, path with its query, and the client's User-Agent. */
    public record Request(String method, String path, String userAgent) {}

    private TestCluster(ApiServer server) {
        this.server = server;
        server.front().observe(this::recordBinding);
        server.front()
                .observeRequests(request ->
                        requests.add(new Request(request.method(), request.rawPath(), request.header("User-Agent"))));
        this.client = server.componentClient();
    }

    /**
     * Starts the server with the CRDs, the VM namespace and the given namespaces, besides those every cluster has
     * ({@code default}, {@code kube-system}, ...).
     */
    public static TestCluster start(String... namespaces) {
        TestCluster cluster = new TestCluster(ApiServer.start(new FaultInjector(0, 1), Clock.systemUTC()));
        ClusterCrds.install(cluster.client);
        Set<String> all = new LinkedHashSet<>(List.of(Names.DEFAULT_VMI_NAMESPACE));
        all.addAll(List.of(namespaces));
        all.removeAll(NamespaceLifecycle.INITIAL);
        for (String namespace : all) {
            cluster.client.resource(ClusterSeed.namespace(namespace)).create();
        }
        return cluster;
    }

    /** The Binding a scheduler creates to put the pod on the node: the only way a pod gets its node. */
    public static Binding binding(String pod, String node) {
        return new BindingBuilder()
                .withNewMetadata()
                .withName(pod)
                .endMetadata()
                .withNewTarget()
                .withKind("Node")
                .withName(node)
                .endTarget()
                .build();
    }

    /** A client as a component gets one: the JDK HTTP client, the cluster CA in its configuration. */
    public KubernetesClient client() {
        return client;
    }

    public ApiServer server() {
        return server;
    }

    /** "namespace/pod -> node" for every Binding the server accepted, in order. */
    public List<String> acceptedBindings() {
        return List.copyOf(acceptedBindings);
    }

    /** The requests received so far from clients with this User-Agent. */
    public List<Request> requestsFrom(String userAgent) {
        return requests.stream()
                .filter(request -> userAgent.equals(request.userAgent()))
                .toList();
    }

    /** Every request received so far, watches included. */
    public int requestCount() {
        return requests.size();
    }

    /** List requests that carried a continue token: every page of a paged list after its first. */
    public long continuedListRequests() {
        return requests.stream()
                .filter(request ->
                        "GET".equals(request.method()) && request.path().contains("continue="))
                .count();
    }

    /**
     * The next GET of this object answers {@code stale} instead of what is stored: what a read that raced with another
     * writer returns (the pod was bound, or deleted and recreated, between the reader's GET and its write).
     */
    public void answerNextReadWith(HasMetadata stale) {
        server.front().answerNextGet(objectPath(stale), Serialization.asJson(stale));
    }

    /**
     * The next {@code times} requests with this method and exact path (no query) fail with this code and message, as
     * a busy or broken API server answers: what a test needs to meet one failure where it matters.
     */
    public void failNext(String method, String path, int times, int code, String message) {
        server.front().failNext(method, path, times, code, message);
    }

    private static String objectPath(HasMetadata object) {
        String plural = HasMetadata.getPlural(object.getClass());
        String apiVersion = object.getApiVersion();
        String root = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
        String namespace = object.getMetadata().getNamespace();
        return root + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + plural + "/"
                + object.getMetadata().getName();
    }

    private void recordBinding(ResourcePath at, WatchEvent change) {
        String node = change.boundNode();
        if (node != null && "pods".equals(at.plural())) {
            acceptedBindings.add(
                    change.object().namespace() + "/" + change.object().name() + " -> " + node);
        }
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
