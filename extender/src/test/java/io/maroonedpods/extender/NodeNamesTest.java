package io.maroonedpods.extender;

import static io.maroonedpods.extender.Fixtures.OWN_NODE;
import static io.maroonedpods.extender.Fixtures.UID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.maroonedpods.api.Names;
import io.maroonedpods.testcluster.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NodeNames requests are answered from the request's bytes (names are hashed and echoed, not decoded): over real
 * HTTP, a name must mean the same whatever its spelling. Dedicated nodes here include ones without the maroon- name
 * prefix, so only the cache (reached through the name's hash) can tell that they are dedicated.
 */
class NodeNamesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Verified for POD_UID, named like an ordinary node. */
    static final String EDGE = "edge-1";
    /** Verified for another pod, with a non-ASCII name. */
    static final String NON_ASCII = "n\u0153ud-\u00e9t\u00e9";

    static final String POD_UID = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
    static final String REASON_FOR_ORDINARY_PODS = "dedicated node, reserved for its maroon pod";
    static TestExtender extender;

    @BeforeAll
    static void start() {
        TestCluster api = TestCluster.start("team-a");
        api.client().nodes().resource(Fixtures.verifiedApiNode(OWN_NODE, UID)).create();
        api.client().nodes().resource(Fixtures.verifiedApiNode(EDGE, POD_UID)).create();
        api.client()
                .nodes()
                .resource(Fixtures.verifiedApiNode(NON_ASCII, Fixtures.OTHER_UID))
                .create();
        extender = TestExtender.start(api);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> extender.client.get("/metrics").body().contains("extender_cached_dedicated_nodes 3"));
    }

    @AfterAll
    static void stop() {
        extender.close();
    }

    static ExtenderClient.Reply filter(String podJson, String namesJson) {
        ExtenderClient.Reply reply = extender.client.post(
                "/scheduler/filter", "{\"Pod\":" + podJson + ",\"Nodes\":null,\"NodeNames\":" + namesJson + "}");
        assertEquals(200, reply.status(), reply.body());
        return reply;
    }

    static List<?> passed(ExtenderClient.Reply reply) {
        return JSON.convertValue(reply.json().get("NodeNames"), List.class);
    }

    static Map<?, ?> failed(ExtenderClient.Reply reply) {
        return JSON.convertValue(reply.json().get("FailedAndUnresolvableNodes"), Map.class);
    }

    @Test
    void aDedicatedNodeWithoutTheMaroonPrefixIsFoundInTheCache() {
        ExtenderClient.Reply ordinary = filter(Fixtures.ordinaryPodJson(), "[\"worker-1\",\"" + EDGE + "\"]");
        assertEquals(List.of("worker-1"), passed(ordinary));
        assertEquals(Map.of(EDGE, REASON_FOR_ORDINARY_PODS), failed(ordinary));

        ExtenderClient.Reply maroon = filter(podWithUid(POD_UID), "[\"worker-1\",\"" + EDGE + "\"]");
        assertEquals(List.of(EDGE), passed(maroon));
    }

    @Test
    void anEscapedNameIsTheNodeItSpells() {
        // e\u0064ge-1 is edge-1; maroon\u002d<uid> is the maroon pod's own node.
        String escapedEdge = "\"e\\u0064ge-1\"";
        String escapedOwn = "\"maroon\\u002d" + UID + "\"";
        ExtenderClient.Reply ordinary =
                filter(Fixtures.ordinaryPodJson(), "[" + escapedEdge + ",\"worker-1\"," + escapedOwn + "]");
        assertEquals(List.of("worker-1"), passed(ordinary));
        assertEquals(Map.of(EDGE, REASON_FOR_ORDINARY_PODS, OWN_NODE, REASON_FOR_ORDINARY_PODS), failed(ordinary));
        assertThat(ordinary.body())
                .as("names are echoed as they were spelled")
                .contains(escapedEdge)
                .contains(escapedOwn);

        ExtenderClient.Reply maroon = filter(Fixtures.maroonPodJson(), "[\"worker-1\"," + escapedOwn + "]");
        assertEquals(List.of(OWN_NODE), passed(maroon));
        assertThat(maroon.body()).contains("\"NodeNames\":[" + escapedOwn + "]");
    }

    @Test
    void aNonAsciiNameMatchesByItsUtf8Bytes() {
        ExtenderClient.Reply raw = filter(Fixtures.ordinaryPodJson(), "[\"" + NON_ASCII + "\",\"w\u00f6rker\"]");
        assertEquals(List.of("w\u00f6rker"), passed(raw));
        assertEquals(Map.of(NON_ASCII, REASON_FOR_ORDINARY_PODS), failed(raw));

        ExtenderClient.Reply escaped = filter(Fixtures.ordinaryPodJson(), "[\"n\\u0153ud-\\u00e9t\\u00e9\"]");
        assertEquals(Map.of(NON_ASCII, REASON_FOR_ORDINARY_PODS), failed(escaped));
    }

    @Test
    void anEmptyListIsAnsweredWithEmptyLists() {
        ExtenderClient.Reply reply = filter(Fixtures.maroonPodJson(), "[]");
        assertEquals(
                "{\"Nodes\":null,\"NodeNames\":[],\"FailedNodes\":{},\"FailedAndUnresolvableNodes\":{},"
                        + "\"Error\":\"\"}",
                reply.body());
    }

    @Test
    void whitespaceBetweenNamesIsNotPartOfThem() {
        ExtenderClient.Reply reply =
                filter(Fixtures.ordinaryPodJson(), "[ \"worker-1\" ,\n\t\"" + EDGE + "\"\r\n, \"worker-2\"  ]");
        assertEquals(List.of("worker-1", "worker-2"), passed(reply));
        assertEquals(Map.of(EDGE, REASON_FOR_ORDINARY_PODS), failed(reply));
    }

    @Test
    void aNullNameListWithFullNodesIsFullNodesMode() {
        ExtenderClient.Reply reply = extender.client.post(
                "/scheduler/filter",
                Fixtures.nodesArgs(Fixtures.ordinaryPodJson(), List.of(Fixtures.ordinaryNodeJson("worker-1"))));
        assertEquals(200, reply.status(), reply.body());
        assertThat(reply.json().get("NodeNames").isNull()).isTrue();
        assertEquals(1, reply.json().at("/Nodes/items").size());
    }

    private static String podWithUid(String uid) {
        return Fixtures.podJson(uid, Names.SCHEDULER_NAME, Map.of("app", "edge"));
    }
}
