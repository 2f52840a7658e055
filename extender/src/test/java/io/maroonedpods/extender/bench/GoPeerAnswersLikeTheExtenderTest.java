package io.maroonedpods.extender.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeListBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maroonedpods.api.Names;
import io.maroonedpods.extender.ExtenderClient;
import io.maroonedpods.extender.Fixtures;
import io.maroonedpods.extender.TestExtender;
import io.maroonedpods.testcluster.TestCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/extender.sh compares the extender with a Go peer (bench/peer): the comparison means something only if both
 * give the same answer. Both get the same dedicated nodes (the extender from the API server through its informers,
 * the peer from the same Nodes written to a NodeList file) and the same requests; their JSON answers must be equal
 * up to the order of object keys (Go sorts a map's keys, the extender keeps the request's order). Needs Go (Debian's
 * golang, standard library only): without it the test is skipped.
 */
class GoPeerAnswersLikeTheExtenderTest {
    private static final String POOL_NODE = Names.POOL_NODE_PREFIX + "a1";
    private static final String NOT_READY_UID = "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d";
    private static final String SELF_LABELLED_UID = "2c3d4e5f-6071-4b8c-9d0e-1f2a3b4c5d6e";

    @TempDir
    static Path dir;

    private static TestCluster api;
    private static TestExtender extender;
    private static Process peer;
    private static ExtenderClient peerClient;

    @BeforeAll
    static void startBoth() throws Exception {
        assumeTrue(goInstalled(), "go is not installed (Debian package golang): the Go peer cannot be built");
        Path binary = dir.resolve("peer");
        run(Path.of("..", "bench", "peer"), "go", "build", "-o", binary.toString(), ".");
        List<Node> nodes = List.of(
                node(Fixtures.verifiedNodeJson(Fixtures.OWN_NODE, Fixtures.UID, true)),
                node(Fixtures.verifiedNodeJson(Fixtures.OTHER_NODE, Fixtures.OTHER_UID, true)),
                node(Fixtures.verifiedNodeJson(Names.nodeName(NOT_READY_UID), NOT_READY_UID, false)),
                node(Fixtures.nodeJson(
                        Names.nodeName(SELF_LABELLED_UID),
                        Map.of(Names.POD_UID_LABEL, SELF_LABELLED_UID),
                        Names.DEDICATED_TAINT,
                        true,
                        false)),
                node(Fixtures.nodeJson(
                        POOL_NODE, Map.of(Names.POOL_LABEL, "true"), Names.DEDICATED_TAINT, true, false)),
                node(Fixtures.ordinaryNodeJson("worker-1")));
        api = TestCluster.start("team-a");
        nodes.forEach(n -> api.client().nodes().resource(n).create());
        Path nodeList = dir.resolve("nodes.json");
        Files.writeString(
                nodeList,
                Serialization.asJson(new NodeListBuilder().withItems(nodes).build()));
        extender = TestExtender.start(api);
        peer = new ProcessBuilder(binary.toString(), "-listen", "127.0.0.1:0", "-nodes", nodeList.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String listening =
                new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(listening).as("the peer's first line").startsWith("LISTENING ");
        peerClient = new ExtenderClient("http://" + listening.split(" ")[1]);
    }

    @AfterAll
    static void stopBoth() {
        if (peer != null) {
            peer.destroy();
        }
        if (extender != null) {
            extender.close();
        }
    }

    @Test
    void aMaroonPodGetsTheSameAnswerFromBoth() {
        assertSameAnswer(Fixtures.maroonPodJson(), candidates(100));
    }

    @Test
    void anOrdinaryPodGetsTheSameAnswerFromBoth() {
        assertSameAnswer(Fixtures.ordinaryPodJson(), candidates(100));
    }

    @Test
    void podsWhoseNodeIsNotReadyOrNotVerifiedGetTheSameReasonsFromBoth() {
        assertSameAnswer(Fixtures.podJson(NOT_READY_UID, Names.SCHEDULER_NAME, Map.of()), candidates(10));
        assertSameAnswer(Fixtures.podJson(SELF_LABELLED_UID, Names.SCHEDULER_NAME, Map.of()), candidates(10));
        assertSameAnswer(
                Fixtures.podJson(Fixtures.OTHER_UID.replace('0', '9'), null, Map.of(Names.OPT_IN_LABEL, "true")),
                candidates(10));
    }

    @Test
    void aLargeAnswerIsTheSameFromBoth() {
        // 5,000 names: both answers are gzipped (over 8 KiB, and the client accepts gzip).
        assertSameAnswer(Fixtures.maroonPodJson(), candidates(5_000));
        assertSameAnswer(Fixtures.ordinaryPodJson(), candidates(5_000));
    }

    /** Ordinary workers, every cached dedicated node, and a maroon-named node nobody caches. */
    private static List<String> candidates(int workers) {
        List<String> names = new ArrayList<>(
                IntStream.range(0, workers).mapToObj(i -> "worker-" + i).toList());
        names.addAll(List.of(
                Fixtures.OWN_NODE,
                Fixtures.OTHER_NODE,
                Names.nodeName(NOT_READY_UID),
                Names.nodeName(SELF_LABELLED_UID),
                POOL_NODE,
                "maroon-not-cached"));
        return names;
    }

    private static void assertSameAnswer(String podJson, List<String> names) {
        String body = Fixtures.namesArgs(podJson, names);
        ExtenderClient.Reply java = extender.client.post("/scheduler/filter", body);
        ExtenderClient.Reply go = peerClient.post("/scheduler/filter", body);
        assertThat(java.status()).as(java.body()).isEqualTo(200);
        assertThat(go.status()).as(go.body()).isEqualTo(200);
        assertThat(differences("", java.json(), go.json()))
                .as("where the Go peer's answer differs")
                .isEmpty();
        // JsonNode equality compares objects as maps (key order aside) and arrays in order.
        assertThat(go.json()).isEqualTo(java.json());
        assertThat(go.gzipped()).as("gzipped by the peer").isEqualTo(java.gzipped());
    }

    /** The first few paths where the two answers differ (key order aside), so a failure names them. */
    private static List<String> differences(String path, JsonNode java, JsonNode go) {
        List<String> found = new ArrayList<>();
        if (java.isObject() && go.isObject()) {
            Set<String> keys = new TreeSet<>();
            java.fieldNames().forEachRemaining(keys::add);
            go.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                found.addAll(differences(path + "." + key, java.path(key), go.path(key)));
            }
        } else if (!java.equals(go)) {
            found.add(path + ": the extender " + abbreviated(java) + ", the peer " + abbreviated(go));
        }
        return found.subList(0, Math.min(found.size(), 5));
    }

    private static String abbreviated(JsonNode node) {
        String text = node.isMissingNode() ? "(missing)" : node.toString();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static Node node(String json) {
        Node node = Serialization.unmarshal(json, Node.class);
        node.getMetadata().setResourceVersion(null);
        node.getMetadata().setUid(null);
        return node;
    }

    private static boolean goInstalled() {
        try {
            return new ProcessBuilder("go", "version").start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void run(Path workDir, String... command) throws Exception {
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS))
                .as("%s within 120 s", String.join(" ", command))
                .isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
    }
}
