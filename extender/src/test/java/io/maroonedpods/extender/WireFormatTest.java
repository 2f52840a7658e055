package io.maroonedpods.extender;

import static io.maroonedpods.extender.Fixtures.OTHER_NODE;
import static io.maroonedpods.extender.Fixtures.OTHER_UID;
import static io.maroonedpods.extender.Fixtures.OWN_NODE;
import static io.maroonedpods.extender.Fixtures.UID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maroonedpods.testcluster.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scheduler verbs over real HTTP, in kube-scheduler's wire format, answers checked field by field. */
class WireFormatTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static TestExtender extender;

    @BeforeAll
    static void start() {
        TestCluster api = TestCluster.start("team-a");
        api.client().nodes().resource(Fixtures.verifiedApiNode(OWN_NODE, UID)).create();
        api.client()
                .nodes()
                .resource(Fixtures.verifiedApiNode(OTHER_NODE, OTHER_UID))
                .create();
        api.client()
                .nodes()
                .resource(Fixtures.apiNode("worker-1", Map.of("kubernetes.io/hostname", "worker-1"), true))
                .create();
        extender = TestExtender.start(api);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> extender.client
                                .post(
                                        "/scheduler/filter",
                                        Fixtures.namesArgs(Fixtures.maroonPodJson(), List.of(OWN_NODE)))
                                .json()
                                .path("NodeNames")
                                .size()
                        == 1);
    }

    @AfterAll
    static void stop() {
        extender.close();
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    @Test
    void nodeNamesInNodeNamesOutWithNodesNull() {
        ExtenderClient.Reply reply = extender.client.post(
                "/scheduler/filter",
                Fixtures.namesArgs(Fixtures.maroonPodJson(), List.of("worker-1", OWN_NODE, OTHER_NODE)));

        assertEquals(200, reply.status());
        JsonNode body = reply.json();
        assertEquals(
                List.of("Nodes", "NodeNames", "FailedNodes", "FailedAndUnresolvableNodes", "Error"), fieldNames(body));
        assertTrue(body.get("Nodes").isNull());
        assertEquals(List.of(OWN_NODE), JSON.convertValue(body.get("NodeNames"), List.class));
        assertTrue(body.get("FailedNodes").isObject());
        assertEquals(0, body.get("FailedNodes").size());
        assertEquals(
                Map.of("worker-1", "not the pod's dedicated node " + OWN_NODE, OTHER_NODE, "dedicated to another pod"),
                JSON.convertValue(body.get("FailedAndUnresolvableNodes"), Map.class));
        assertEquals("", body.get("Error").asText());
    }

    @Test
    void nodesInNodesOutWithTheSentNodeUnchanged() throws Exception {
        String own = Fixtures.verifiedNodeJson(OWN_NODE, UID, true);
        ExtenderClient.Reply reply = extender.client.post(
                "/scheduler/filter",
                Fixtures.nodesArgs(
                        Fixtures.maroonPodJson(),
                        List.of(
                                Fixtures.ordinaryNodeJson("worker-1"),
                                own,
                                Fixtures.verifiedNodeJson(OTHER_NODE, OTHER_UID, true))));

        assertEquals(200, reply.status());
        JsonNode body = reply.json();
        assertTrue(body.get("NodeNames").isNull());
        JsonNode items = body.get("Nodes").get("items");
        assertEquals(1, items.size());
        assertEquals(JSON.readTree(own), items.get(0), "the passing Node is returned exactly as sent");
        assertEquals(
                10250,
                items.get(0).at("/status/daemonEndpoints/kubeletEndpoint/Port").asInt());
        assertEquals(1, items.get(0).at("/metadata/managedFields").size());
        assertEquals(List.of("worker-1", OTHER_NODE), fieldNames(body.get("FailedAndUnresolvableNodes")));
        assertEquals(0, body.get("FailedNodes").size());
        assertEquals("", body.get("Error").asText());
    }

    @Test
    void fullNodesModeDecidesFromTheSentObjects() {
        // The sent copy says not Ready, although our informer has the node Ready: the scheduler's copy wins.
        ExtenderClient.Reply reply = extender.client.post(
                "/scheduler/filter",
                Fixtures.nodesArgs(Fixtures.maroonPodJson(), List.of(Fixtures.verifiedNodeJson(OWN_NODE, UID, false))));

        assertEquals(0, reply.json().at("/Nodes/items").size());
        assertEquals(
                "dedicated node " + OWN_NODE + " not Ready",
                reply.json().at("/FailedAndUnresolvableNodes").get(OWN_NODE).asText());
    }

    @Test
    void fieldNamesMatchCaseInsensitivelyAndUnknownFieldsAreIgnored() {
        String body = "{\"pod\":" + Fixtures.maroonPodJson() + ",\"NODES\":null,\"nodenames\":[\"" + OWN_NODE
                + "\"],\"SomethingNew\":{\"a\":[1,2,3]}}";
        ExtenderClient.Reply reply = extender.client.post("/scheduler/filter", body);

        assertEquals(200, reply.status(), reply.body());
        assertEquals(OWN_NODE, reply.json().at("/NodeNames/0").asText());
    }

    @Test
    void anOrdinaryPodPassesEveryNodeButDedicatedOnes() {
        ExtenderClient.Reply reply = extender.client.post(
                "/scheduler/filter",
                Fixtures.namesArgs(
                        Fixtures.ordinaryPodJson(), List.of("worker-1", OWN_NODE, "worker-2", "maroon-unregistered")));

        assertEquals(
                List.of("worker-1", "worker-2"), JSON.convertValue(reply.json().get("NodeNames"), List.class));
        assertEquals(
                List.of(OWN_NODE, "maroon-unregistered"),
                fieldNames(reply.json().get("FailedAndUnresolvableNodes")));
    }

    @Test
    void escapedNamesComeBackAsTheSameStrings() {
        // Names are echoed as the JSON text they came in: escapes must still decode to the same names.
        String body = "{\"Pod\":" + Fixtures.ordinaryPodJson() + ",\"Nodes\":null,\"NodeNames\":"
                + "[\"\\u0077orker-9\",\"a\\\"b\",\"maroon-\\u00e9\",\"caf\u00e9\"]}";
        ExtenderClient.Reply reply = extender.client.post("/scheduler/filter", body);

        assertEquals(200, reply.status(), reply.body());
        assertEquals(
                List.of("worker-9", "a\"b", "caf\u00e9"),
                JSON.convertValue(reply.json().get("NodeNames"), List.class));
        assertEquals(List.of("maroon-\u00e9"), fieldNames(reply.json().get("FailedAndUnresolvableNodes")));
    }

    @Test
    void anOrdinaryPodInFullNodesModeGetsTheOrdinaryNodesBack() throws Exception {
        String worker = Fixtures.ordinaryNodeJson("worker-1");
        ExtenderClient.Reply reply = extender.client.post(
                "/scheduler/filter",
                Fixtures.nodesArgs(
                        Fixtures.ordinaryPodJson(), List.of(worker, Fixtures.verifiedNodeJson(OWN_NODE, UID, true))));

        assertEquals(JSON.readTree(worker), reply.json().at("/Nodes/items/0"));
        assertEquals(1, reply.json().at("/Nodes/items").size());
    }

    @Test
    void prioritizeAnswersAHostPriorityList() {
        ExtenderClient.Reply reply = extender.client.post(
                "/scheduler/prioritize", Fixtures.namesArgs(Fixtures.maroonPodJson(), List.of("worker-1", OWN_NODE)));

        assertEquals(200, reply.status());
        assertEquals(
                "[{\"Host\":\"worker-1\",\"Score\":0},{\"Host\":\"" + OWN_NODE + "\",\"Score\":10}]", reply.body());
    }

    @Test
    void preemptDropsOtherPodsDedicatedNodes() {
        String body = "{\"Pod\":" + Fixtures.maroonPodJson() + ",\"NodeNameToVictims\":null,"
                + "\"NodeNameToMetaVictims\":{"
                + "\"" + OWN_NODE + "\":{\"Pods\":[{\"UID\":\"u1\"}],\"NumPDBViolations\":0},"
                + "\"" + OTHER_NODE + "\":{\"Pods\":[{\"UID\":\"u2\"}],\"NumPDBViolations\":1},"
                + "\"worker-1\":{\"Pods\":null,\"NumPDBViolations\":0}}}";
        ExtenderClient.Reply reply = extender.client.post("/scheduler/preempt", body);

        assertEquals(200, reply.status(), reply.body());
        JsonNode victims = reply.json().get("NodeNameToMetaVictims");
        assertEquals(List.of(OWN_NODE, "worker-1"), fieldNames(victims));
        assertEquals("u1", victims.at("/" + OWN_NODE + "/Pods/0/UID").asText());
    }

    @Test
    void preemptTurnsFullVictimsIntoMetaVictims() {
        String body = "{\"Pod\":" + Fixtures.ordinaryPodJson() + ",\"NodeNameToVictims\":{"
                + "\"worker-1\":{\"Pods\":[" + Fixtures.podJson("v-1", "default-scheduler", Map.of())
                + "],\"NumPDBViolations\":2},"
                + "\"" + OWN_NODE + "\":{\"Pods\":[],\"NumPDBViolations\":0}},\"NodeNameToMetaVictims\":null}";
        ExtenderClient.Reply reply = extender.client.post("/scheduler/preempt", body);

        assertEquals(200, reply.status(), reply.body());
        assertEquals(
                "{\"NodeNameToMetaVictims\":{\"worker-1\":{\"Pods\":[{\"UID\":\"v-1\"}]," + "\"NumPDBViolations\":2}}}",
                reply.body());
    }

    @Test
    void largeAnswersAreGzippedSmallOnesAreNot() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            names.add("worker-" + i);
        }
        ExtenderClient.Reply large =
                extender.client.post("/scheduler/filter", Fixtures.namesArgs(Fixtures.ordinaryPodJson(), names));
        ExtenderClient.Reply small = extender.client.post(
                "/scheduler/filter", Fixtures.namesArgs(Fixtures.ordinaryPodJson(), List.of("worker-1")));

        assertTrue(large.gzipped());
        assertEquals(2000, large.json().get("NodeNames").size());
        assertFalse(small.gzipped());
    }

    @Test
    void healthAndMetricsAreServed() {
        extender.client.post("/scheduler/filter", Fixtures.namesArgs(Fixtures.maroonPodJson(), List.of(OWN_NODE)));

        assertEquals(200, extender.client.get("/livez").status());
        assertEquals(200, extender.client.get("/readyz").status());
        String metrics = extender.client.get("/metrics").body();
        assertThat(metrics)
                .contains("extender_requests_total{code=\"200\",verb=\"filter\"}")
                .contains("extender_request_duration_seconds_bucket{verb=\"filter\",le=\"+Inf\"}")
                .contains("extender_filter_decisions_total{outcome=\"maroon_passed\"}")
                .contains("extender_cached_dedicated_nodes 2");
    }

    @Test
    void wrongMethodAndUnknownPathAnswerJson() {
        ExtenderClient.Reply get = extender.client.get("/scheduler/filter");
        assertEquals(405, get.status());
        assertEquals("method GET not allowed on /scheduler/filter: use POST", get.error());

        ExtenderClient.Reply unknown = extender.client.post("/scheduler/score", "{}");
        assertEquals(404, unknown.status());
        assertThat(unknown.error()).startsWith("no such endpoint /scheduler/score");
    }
}
