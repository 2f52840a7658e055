package io.maroonedpods.e2e.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.e2e.support.ReadyNodes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * What the scheduler benchmark schedules onto: Nodes that are only objects (no kubelet), Ready and roomy, created
 * directly, plus a few verified dedicated nodes (labelled and tainted as the provisioner leaves them: the extender
 * caches them, and ordinary pods never get there); and bursts of ordinary pods created while no scheduler runs.
 */
final class FakeCluster {
    /** How many requests are sent at once while filling the cluster (the API server on 2 cores takes no more). */
    private static final int WRITERS = 6;

    static final int DEDICATED_NODES = 10;

    private FakeCluster() {}

    /** {@code ordinary} worker nodes and {@value #DEDICATED_NODES} dedicated ones. */
    static void createNodes(KubernetesClient client, int ordinary) {
        List<Node> nodes = new ArrayList<>();
        IntStream.range(0, ordinary).forEach(i -> nodes.add(node(String.format("worker-%04d", i), Map.of(), null)));
        for (int i = 0; i < DEDICATED_NODES; i++) {
            String uid =
                    UUID.nameUUIDFromBytes(("bench-dedicated-" + i).getBytes()).toString();
            nodes.add(node(
                    Names.nodeName(uid), Map.of(Names.VERIFIED_POD_UID_LABEL, uid, Names.POD_UID_LABEL, uid), uid));
        }
        inParallel(nodes, node -> {
            client.nodes().resource(node).create();
            // Admission (TaintNodesByCondition) gives every new node the not-ready taint, which the node lifecycle
            // controller takes off once the node is Ready; that controller does not run here.
            client.nodes().withName(node.getMetadata().getName()).edit(n -> {
                n.getSpec().getTaints().removeIf(t -> t.getKey().equals("node.kubernetes.io/not-ready"));
                return n;
            });
        });
    }

    /** A namespace of {@code count} pending pods of the default scheduler, each asking for a little CPU and memory. */
    static void createPods(KubernetesClient client, String namespace, int count) {
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .endMetadata()
                        .build())
                .create();
        // What kube-controller-manager would create (it does not run here): admission wants the pods' ServiceAccount.
        client.resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("default")
                        .withNamespace(namespace)
                        .endMetadata()
                        .build())
                .create();
        List<Pod> pods = IntStream.range(0, count)
                .mapToObj(i -> pod(namespace, String.format("p-%05d", i)))
                .toList();
        inParallel(pods, pod -> client.pods().resource(pod).create());
    }

    /** Removes the namespace's pods at once: with no kubelet, a graceful deletion would never complete. */
    static void deletePods(KubernetesClient client, String namespace) {
        client.pods().inNamespace(namespace).withGracePeriod(0).delete();
    }

    /**
     * A node as a kubelet registers it, with the status it would post: Ready, 64 CPUs, 256 GiB, room for 250 pods. The
     * API server keeps a Node's status on create, so one request makes it schedulable.
     */
    private static Node node(String name, Map<String, String> labels, String dedicatedTo) {
        NodeBuilder node = new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("kubernetes.io/hostname", name)
                .addToLabels("kubernetes.io/os", "linux")
                .addToLabels(labels)
                .endMetadata()
                .withStatus(ReadyNodes.status("64", "256Gi", 250, Instant.now()));
        if (dedicatedTo != null) {
            node.editSpec()
                    .addNewTaint()
                    .withKey(Names.DEDICATED_TAINT)
                    .withValue(dedicatedTo)
                    .withEffect("NoSchedule")
                    .endTaint()
                    .endSpec();
        }
        return node.build();
    }

    private static Pod pod(String namespace, String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels("app", "burst")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("registry.example/app:1")
                .withNewResources()
                .addToRequests("cpu", new Quantity("10m"))
                .addToRequests("memory", new Quantity("16Mi"))
                .endResources()
                .endContainer()
                .endSpec()
                .build();
    }

    private static <T> void inParallel(List<T> items, Consumer<T> create) {
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int first = w;
                done.add(writers.submit(() -> {
                    for (int i = first; i < items.size(); i += WRITERS) {
                        create.accept(items.get(i));
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("filling the cluster: " + e.getMessage(), e);
        } finally {
            writers.shutdownNow();
        }
    }
}
