package io.maroonedpods.extender.bench;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeListBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maroonedpods.api.Names;
import io.maroonedpods.extender.Fixtures;
import io.maroonedpods.testcluster.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * The fixed cluster of bench/extender.sh: the fake API server of test-cluster (paging its lists, as a real one does) holding the
 * maroon pod's verified node plus {@code dedicated - 1} nodes verified for other pods (what the extender's informers
 * cache), a kubeconfig pointing at it, the same Nodes as a NodeList file ({@code nodes.json}, what the Go peer of the
 * benchmark caches), and the request bodies in kube-scheduler's wire format. Runs until killed.
 *
 * <p>Usage: {@code BenchCluster <dir> <dedicatedNodes> <nodeCounts, e.g. 100,1000,5000>}
 */
public final class BenchCluster {
    private BenchCluster() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int dedicated = Integer.parseInt(args[1]);
        Files.createDirectories(dir);
        TestCluster api = TestCluster.start("team-a");
        api.client()
                .pods()
                .resource(Fixtures.apiPod("web", Fixtures.UID, Names.SCHEDULER_NAME))
                .create();
        List<Node> cached = new ArrayList<>();
        cached.add(cachedNode(Fixtures.OWN_NODE, Fixtures.UID));
        for (int i = 1; i < dedicated; i++) {
            String uid = UUID.nameUUIDFromBytes(("bench-" + i).getBytes()).toString();
            cached.add(cachedNode(Names.nodeName(uid), uid));
        }
        for (Node node : cached) {
            api.client().nodes().resource(node).create();
        }
        Files.writeString(
                dir.resolve("nodes.json"),
                Serialization.asJson(new NodeListBuilder().withItems(cached).build()));
        for (String count : args[2].split(",")) {
            writeBodies(dir, Integer.parseInt(count));
        }
        Files.writeString(
                dir.resolve("bind-refusal.json"), Fixtures.bindArgs("web", Fixtures.OTHER_UID, Fixtures.OWN_NODE));
        Files.writeString(
                dir.resolve("kubeconfig"),
                kubeconfig(api.client().getConfiguration().getMasterUrl()));
        System.out.println("READY " + api.client().getConfiguration().getMasterUrl());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /**
     * A verified dedicated node as the API server holds it: the full object of about 2.9 KB (managedFields, images,
     * annotations, taint), so the informers list and discard what a real cluster would send them.
     */
    private static Node cachedNode(String name, String uid) {
        Node node = Serialization.unmarshal(Fixtures.verifiedNodeJson(name, uid, true), Node.class);
        node.getMetadata().setResourceVersion(null);
        node.getMetadata().setUid(null);
        return node;
    }

    /** NodeNames and full-Nodes bodies for a maroon pod and an ordinary pod; the pod's own node sits in the middle. */
    private static void writeBodies(Path dir, int nodes) throws IOException {
        List<String> names = new ArrayList<>();
        List<String> nodeJsons = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            if (i == nodes / 2) {
                names.add(Fixtures.OWN_NODE);
                nodeJsons.add(Fixtures.verifiedNodeJson(Fixtures.OWN_NODE, Fixtures.UID, true));
            } else {
                names.add("worker-" + i);
                nodeJsons.add(Fixtures.ordinaryNodeJson("worker-" + i));
            }
        }
        String maroon = Fixtures.maroonPodJson();
        String ordinary = Fixtures.podJson(Fixtures.OTHER_UID, "default-scheduler", Map.of("app", "api"));
        Files.writeString(dir.resolve("names-maroon-" + nodes + ".json"), Fixtures.namesArgs(maroon, names));
        Files.writeString(dir.resolve("names-other-" + nodes + ".json"), Fixtures.namesArgs(ordinary, names));
        Files.writeString(dir.resolve("nodes-maroon-" + nodes + ".json"), Fixtures.nodesArgs(maroon, nodeJsons));
        Files.writeString(dir.resolve("nodes-other-" + nodes + ".json"), Fixtures.nodesArgs(ordinary, nodeJsons));
    }

    private static String kubeconfig(String server) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: bench
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                users:
                - name: bench
                  user:
                    token: bench-only
                contexts:
                - name: bench
                  context:
                    cluster: bench
                    user: bench
                current-context: bench
                """.formatted(server);
    }
}
