package io.maroonedpods.extender;

import static io.maroonedpods.extender.Fixtures.OTHER_NODE;
import static io.maroonedpods.extender.Fixtures.OTHER_UID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.maroonedpods.api.Names;
import io.maroonedpods.extender.config.ConfigEdits;
import io.maroonedpods.testcluster.TestCluster;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and broken requests, one table: each gets a 4xx whose JSON Error names the problem (or, for binds the
 * protocol answers with 200 + Error, that), never a 5xx, and the server keeps answering normal requests.
 */
class HostileInputTest {
    static final long BODY_LIMIT = 256 * 1024;
    static TestExtender extender;
    static String webUid;
    static String webNode;
    static String plainUid;

    /** One hostile request: what is sent, which status must come back, and a fragment of the Error. */
    record Case(String name, String method, String path, String contentType, byte[] body, int status, String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() {
        TestCluster api = TestCluster.start("team-a");
        webUid = api.client()
                .pods()
                .resource(Fixtures.apiPod("web", Fixtures.UID, Names.SCHEDULER_NAME))
                .create()
                .getMetadata()
                .getUid();
        webNode = Names.nodeName(webUid);
        plainUid = api.client()
                .pods()
                .resource(Fixtures.apiPod("plain", OTHER_UID, "default-scheduler"))
                .create()
                .getMetadata()
                .getUid();
        api.client().nodes().resource(Fixtures.verifiedApiNode(webNode, webUid)).create();
        api.client()
                .nodes()
                .resource(Fixtures.verifiedApiNode(OTHER_NODE, OTHER_UID))
                .create();
        api.client()
                .nodes()
                .resource(Fixtures.apiNode("liar", Map.of(Names.POD_UID_LABEL, webUid), true))
                .create();
        api.client()
                .nodes()
                .resource(Fixtures.apiNode("worker-1", Map.of(), true))
                .create();
        extender = TestExtender.start(api, config -> ConfigEdits.bodyLimitBytes(config, BODY_LIMIT));
    }

    @AfterAll
    static void stop() {
        extender.close();
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.addAll(malformedJson());
        cases.addAll(wrongShapes());
        cases.addAll(wrongNodeFields());
        cases.addAll(wrongPodFields());
        cases.addAll(limits());
        cases.addAll(wrongHeadersAndMethods());
        cases.addAll(badPreemptAndPrioritize());
        cases.addAll(badBinds());
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostileRequestGetsAClearRefusalAndTheServerKeepsServing(Case c) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + c.path()))
                .method(
                        c.method(),
                        c.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        if (c.status() == 413) {
            // Refused on its declared length and the connection closed, the body unread: a client still sending it
            // may meet the close before it reads the answer, so this one waits for the answer first, as Go's does.
            request.expectContinue(true);
        }
        if (c.name().startsWith("gzip-encoded body")) {
            request.header("Content-Encoding", "gzip");
        }
        ExtenderClient.Reply reply = extender.client.send(request);

        assertEquals(c.status(), reply.status(), c.name() + ": " + reply.body());
        assertThat(reply.error()).as(c.name()).contains(c.error());
        assertNormalRequestStillWorks();
    }

    @Test
    void theTableHasAtLeastFiftyCases() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(50);
    }

    static void assertNormalRequestStillWorks() {
        assertNormalRequestWorks(extender);
    }

    /** A maroon pod's filter over a worker and its verified node (the only other pod-owned node there) passes it. */
    static void assertNormalRequestWorks(TestExtender extender) {
        ExtenderClient.Reply normal = extender.client.post("/scheduler/filter", extender.webFilterRequest());
        assertEquals(200, normal.status(), normal.body());
        assertEquals(
                Names.nodeName(extender.webUid()),
                normal.json().at("/NodeNames/0").asText());
    }

    static String base() {
        return "http://127.0.0.1:" + extender.server.port();
    }

    // ---- the table ----

    static final String JSON = "application/json";
    static final String POD = Fixtures.maroonPodJson();
    static final String GOOD = Fixtures.namesArgs(POD, List.of("worker-1"));

    static Case filter(String name, String body, int status, String error) {
        return new Case(name, "POST", "/scheduler/filter", JSON, body.getBytes(StandardCharsets.UTF_8), status, error);
    }

    static Case raw(String name, String path, byte[] body, int status, String error) {
        return new Case(name, "POST", path, JSON, body, status, error);
    }

    static String withNode(String nodeJson) {
        return Fixtures.nodesArgs(POD, List.of(nodeJson));
    }

    static String withPod(String podJson) {
        return Fixtures.namesArgs(podJson, List.of("worker-1"));
    }

    static List<Case> malformedJson() {
        return List.of(
                filter("empty body", "", 400, "request body is empty"),
                filter("whitespace only", "   \n ", 400, "request body is empty"),
                filter("lone brace", "{", 400, "malformed JSON"),
                filter("truncated in the Pod", GOOD.substring(0, 120), 400, "malformed JSON"),
                filter("truncated before the last brace", GOOD.substring(0, GOOD.length() - 1), 400, "malformed JSON"),
                filter("trailing garbage", GOOD + "xyz", 400, "malformed JSON"),
                filter("two objects", GOOD + GOOD, 400, "unexpected data after the JSON object"),
                filter("single quotes", "{'Pod':null}", 400, "malformed JSON"),
                filter("unquoted keys", "{Pod:null}", 400, "malformed JSON"),
                filter("comment", "/* hi */" + GOOD, 400, "malformed JSON"),
                filter(
                        "NaN literal",
                        "{\"Pod\":" + POD + ",\"x\":NaN,\"Nodes\":null,\"NodeNames\":[]}",
                        400,
                        "malformed JSON"),
                filter("missing comma", "{\"Pod\":null \"Nodes\":null}", 400, "malformed JSON"),
                filter(
                        "control character in a string",
                        "{\"Pod\":" + POD + ",\"NodeNames\":[\"a\u0001b\"]}",
                        400,
                        "malformed JSON"),
                raw(
                        "invalid UTF-8 in a node name",
                        "/scheduler/filter",
                        concat(
                                "{\"Pod\":" + POD + ",\"Nodes\":null,\"NodeNames\":[\"w",
                                new byte[] {(byte) 0xC3, (byte) 0x28},
                                "\"]}"),
                        400,
                        "not valid UTF-8"),
                raw(
                        "invalid UTF-8 in the Pod",
                        "/scheduler/filter",
                        concat(
                                "{\"Pod\":{\"metadata\":{\"name\":\"",
                                new byte[] {(byte) 0xFF, (byte) 0xFE},
                                "\"}},\"NodeNames\":[]}"),
                        400,
                        "not valid UTF-8"));
    }

    static List<Case> wrongShapes() {
        return List.of(
                filter("array body", "[]", 400, "request body: expected a JSON object (ExtenderArgs), got an array"),
                filter("string body", "\"filter\"", 400, "got a string"),
                filter("null body", "null", 400, "got null"),
                filter("number body", "42", 400, "got a number"),
                filter("empty object", "{}", 400, "Pod: required"),
                filter("null Pod", "{\"Pod\":null,\"Nodes\":null,\"NodeNames\":[\"a\"]}", 400, "Pod: required"),
                filter(
                        "Pod is a string",
                        "{\"Pod\":\"web\",\"NodeNames\":[]}",
                        400,
                        "Pod: expected an object, got a string"),
                filter("Pod is an array", "{\"Pod\":[],\"NodeNames\":[]}", 400, "Pod: expected an object"),
                filter(
                        "both lists null",
                        "{\"Pod\":" + POD + ",\"Nodes\":null,\"NodeNames\":null}",
                        400,
                        "Nodes and NodeNames are both null"),
                filter(
                        "both lists set",
                        "{\"Pod\":" + POD + ",\"Nodes\":{\"items\":[]},\"NodeNames\":[]}",
                        400,
                        "both set"),
                filter(
                        "NodeNames is a string",
                        "{\"Pod\":" + POD + ",\"NodeNames\":\"worker-1\"}",
                        400,
                        "NodeNames: expected an array, got a string"),
                filter(
                        "NodeNames holds a number",
                        "{\"Pod\":" + POD + ",\"NodeNames\":[\"a\",7]}",
                        400,
                        "NodeNames[1]: expected a string, got a number"),
                filter(
                        "NodeNames holds null",
                        "{\"Pod\":" + POD + ",\"NodeNames\":[null]}",
                        400,
                        "NodeNames[0]: expected a string, got null"),
                filter(
                        "NodeNames holds an object",
                        "{\"Pod\":" + POD + ",\"NodeNames\":[{}]}",
                        400,
                        "NodeNames[0]: expected a string, got an object"),
                filter(
                        "Nodes is an array",
                        "{\"Pod\":" + POD + ",\"Nodes\":[]}",
                        400,
                        "Nodes: expected an object, got an array"),
                filter(
                        "Nodes.items is an object",
                        "{\"Pod\":" + POD + ",\"Nodes\":{\"items\":{}}}",
                        400,
                        "Nodes.items: expected an array, got an object"),
                filter(
                        "Nodes.items holds a string",
                        "{\"Pod\":" + POD + ",\"Nodes\":{\"items\":[\"n\"]}}",
                        400,
                        "Nodes.items[0]: expected a Node object, got a string"));
    }

    static List<Case> wrongNodeFields() {
        return List.of(
                filter(
                        "node without a name",
                        withNode("{\"metadata\":{}}"),
                        400,
                        "Nodes.items[0].metadata.name: required"),
                filter(
                        "node name is a number",
                        withNode("{\"metadata\":{\"name\":5}}"),
                        400,
                        "Nodes.items[0].metadata.name: expected a string, got a number"),
                filter(
                        "node metadata is a string",
                        withNode("{\"metadata\":\"n\"}"),
                        400,
                        "Nodes.items[0].metadata: expected an object"),
                filter(
                        "node labels are an array",
                        withNode("{\"metadata\":{\"name\":\"n\",\"labels\":[]}}"),
                        400,
                        "Nodes.items[0].metadata.labels: expected an object"),
                filter(
                        "node label value is a number",
                        withNode("{\"metadata\":{\"name\":\"n\",\"labels\":{\"" + Names.VERIFIED_POD_UID_LABEL
                                + "\":1}}}"),
                        400,
                        "labels[" + Names.VERIFIED_POD_UID_LABEL + "]: expected a string"),
                filter(
                        "unschedulable is a string",
                        withNode("{\"metadata\":{\"name\":\"n\"},\"spec\":{\"unschedulable\":\"yes\"}}"),
                        400,
                        "Nodes.items[0].spec.unschedulable: expected a boolean"),
                filter(
                        "taints is an object",
                        withNode("{\"metadata\":{\"name\":\"n\"},\"spec\":{\"taints\":{}}}"),
                        400,
                        "Nodes.items[0].spec.taints: expected an array"),
                filter(
                        "taint key is a number",
                        withNode("{\"metadata\":{\"name\":\"n\"},\"spec\":{\"taints\":[{\"key\":1}]}}"),
                        400,
                        "Nodes.items[0].spec.taints[0].key: expected a string"),
                filter(
                        "condition is a number",
                        withNode("{\"metadata\":{\"name\":\"n\"},\"status\":{\"conditions\":[3]}}"),
                        400,
                        "Nodes.items[0].status.conditions[0]: expected an object"),
                filter(
                        "deletionTimestamp is an object",
                        withNode("{\"metadata\":{\"name\":\"n\",\"deletionTimestamp\":{}}}"),
                        400,
                        "Nodes.items[0].metadata.deletionTimestamp: expected a string"),
                filter(
                        "second node broken",
                        Fixtures.nodesArgs(
                                POD, List.of(Fixtures.ordinaryNodeJson("a"), "{\"metadata\":{\"name\":false}}")),
                        400,
                        "Nodes.items[1].metadata.name"));
    }

    static List<Case> wrongPodFields() {
        return List.of(
                filter("Pod metadata is a string", withPod("{\"metadata\":\"web\"}"), 400, "Pod.metadata"),
                filter(
                        "Pod labels are an array",
                        withPod("{\"metadata\":{\"labels\":[\"a\"]}}"),
                        400,
                        "Pod.metadata.labels"),
                filter("Pod uid is a number", withPod("{\"metadata\":{\"uid\":12}}"), 400, "Pod.metadata.uid"),
                filter(
                        "Pod namespace is an object",
                        withPod("{\"metadata\":{\"namespace\":{}}}"),
                        400,
                        "Pod.metadata.namespace: expected a string, got an object"),
                filter(
                        "Pod opt-in label is a boolean",
                        withPod("{\"metadata\":{\"labels\":{\"" + Names.OPT_IN_LABEL + "\":true}}}"),
                        400,
                        "Pod.metadata.labels[" + Names.OPT_IN_LABEL + "]: expected a string, got a boolean"),
                filter(
                        "Pod owner's controller flag is text",
                        withPod("{\"metadata\":{\"ownerReferences\":[{\"controller\":\"yes\"}]}}"),
                        400,
                        "Pod.metadata.ownerReferences[0].controller: expected a boolean, got a string"),
                filter(
                        "Pod owner reference is null",
                        withPod("{\"metadata\":{\"ownerReferences\":[null]}}"),
                        400,
                        "Pod.metadata.ownerReferences[0]: expected an object, got null"),
                filter(
                        "Pod schedulerName is a boolean",
                        withPod("{\"spec\":{\"schedulerName\":true}}"),
                        400,
                        "Pod.spec.schedulerName"));
    }

    static List<Case> limits() {
        List<String> huge = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            huge.add("worker-" + i);
        }
        String deepArray = "[".repeat(5000) + "]".repeat(5000);
        String deepObject = "{\"a\":".repeat(200) + "1" + "}".repeat(200);
        return List.of(
                filter(
                        "huge NodeNames beyond the body limit",
                        Fixtures.namesArgs(POD, huge),
                        413,
                        "exceeds the limit of " + BODY_LIMIT + " bytes"),
                filter(
                        "deeply nested arrays in an unknown field",
                        "{\"x\":" + deepArray + ",\"Pod\":" + POD + ",\"NodeNames\":[]}",
                        400,
                        "exceeds a JSON limit"),
                filter(
                        "deeply nested objects in the Pod",
                        withPod("{\"metadata\":{\"name\":\"x\"},\"extra\":" + deepObject + "}"),
                        400,
                        "exceeds a JSON limit"),
                filter(
                        "a number with 500 digits",
                        "{\"Pod\":" + POD + ",\"x\":" + "9".repeat(500) + ",\"NodeNames\":[]}",
                        400,
                        "exceeds a JSON limit"));
    }

    static List<Case> wrongHeadersAndMethods() {
        byte[] good = GOOD.getBytes(StandardCharsets.UTF_8);
        return List.of(
                new Case("no Content-Type", "POST", "/scheduler/filter", null, good, 415, "Content-Type missing"),
                new Case(
                        "text/plain",
                        "POST",
                        "/scheduler/filter",
                        "text/plain",
                        good,
                        415,
                        "Content-Type text/plain not supported"),
                new Case(
                        "form encoded",
                        "POST",
                        "/scheduler/bind",
                        "application/x-www-form-urlencoded",
                        good,
                        415,
                        "not supported"),
                new Case(
                        "latin-1 charset",
                        "POST",
                        "/scheduler/filter",
                        "application/json; charset=iso-8859-1",
                        good,
                        415,
                        "charset=iso-8859-1 not supported"),
                new Case(
                        "gzip-encoded body",
                        "POST",
                        "/scheduler/filter",
                        JSON,
                        good,
                        415,
                        "Content-Encoding gzip not supported"),
                new Case("GET filter", "GET", "/scheduler/filter", null, null, 405, "method GET not allowed"),
                new Case("PUT bind", "PUT", "/scheduler/bind", JSON, good, 405, "method PUT not allowed"),
                new Case("DELETE prioritize", "DELETE", "/scheduler/prioritize", null, null, 405, "use POST"),
                new Case("PATCH preempt", "PATCH", "/scheduler/preempt", JSON, good, 405, "use POST"),
                new Case("POST livez", "POST", "/livez", JSON, good, 405, "use GET"),
                new Case("unknown verb", "POST", "/scheduler/score", JSON, good, 404, "no such endpoint"),
                new Case("verb without prefix", "POST", "/filter", JSON, good, 404, "no such endpoint"),
                new Case("verb in the wrong case", "POST", "/scheduler/Filter", JSON, good, 404, "no such endpoint"));
    }

    static List<Case> badPreemptAndPrioritize() {
        return List.of(
                raw(
                        "prioritize without a Pod",
                        "/scheduler/prioritize",
                        bytes("{\"NodeNames\":[]}"),
                        400,
                        "Pod: required"),
                raw(
                        "prioritize truncated",
                        "/scheduler/prioritize",
                        bytes(GOOD.substring(0, 50)),
                        400,
                        "malformed JSON"),
                raw(
                        "preempt without a Pod",
                        "/scheduler/preempt",
                        bytes("{\"NodeNameToMetaVictims\":{}}"),
                        400,
                        "Pod: required"),
                raw(
                        "preempt victims map is an array",
                        "/scheduler/preempt",
                        bytes("{\"Pod\":" + POD + ",\"NodeNameToMetaVictims\":[]}"),
                        400,
                        "wrong type at .NodeNameToMetaVictims"),
                raw(
                        "preempt NumPDBViolations is text",
                        "/scheduler/preempt",
                        bytes("{\"Pod\":" + POD
                                + ",\"NodeNameToMetaVictims\":{\"n\":{\"NumPDBViolations\":\"many\"}}}"),
                        400,
                        "NumPDBViolations"),
                raw(
                        "preempt with trailing data",
                        "/scheduler/preempt",
                        bytes("{\"Pod\":" + POD + "} []"),
                        400,
                        "unexpected data after the JSON value"));
    }

    static List<Case> badBinds() {
        return List.of(
                raw("bind empty object", "/scheduler/bind", bytes("{}"), 400, "PodName: required"),
                raw("bind null", "/scheduler/bind", bytes("null"), 400, "expected an ExtenderBindingArgs object"),
                raw("bind array", "/scheduler/bind", bytes("[]"), 400, "wrong type at"),
                raw(
                        "bind without PodUID",
                        "/scheduler/bind",
                        bytes("{\"PodName\":\"web\",\"PodNamespace\":" + "\"team-a\",\"PodUID\":null,\"Node\":\"n\"}"),
                        400,
                        "PodUID: required"),
                raw(
                        "bind Node is a number",
                        "/scheduler/bind",
                        bytes("{\"PodName\":\"web\",\"PodNamespace\":" + "\"team-a\",\"PodUID\":\"u\",\"Node\":5}"),
                        400,
                        "wrong type at .Node"),
                raw(
                        "bind pod name with a path",
                        "/scheduler/bind",
                        bytes(Fixtures.bindArgs("../../nodes/x", "u", "n")),
                        400,
                        "PodName: not a valid Kubernetes object name"),
                raw(
                        "bind node name with upper case",
                        "/scheduler/bind",
                        bytes(Fixtures.bindArgs("web", "u", "Node-1")),
                        400,
                        "Node: not a valid Kubernetes object name"),
                raw(
                        "bind a 300-character pod name",
                        "/scheduler/bind",
                        bytes(Fixtures.bindArgs("a".repeat(300), "u", "n")),
                        400,
                        "PodName: not a valid Kubernetes object name"),
                raw(
                        "bind a pod that is not maroon",
                        "/scheduler/bind",
                        bytes(Fixtures.bindArgs("plain", plainUid, webNode)),
                        200,
                        "is not a maroon pod"),
                raw(
                        "bind to another pod's node",
                        "/scheduler/bind",
                        bytes(Fixtures.bindArgs("web", webUid, OTHER_NODE)),
                        200,
                        "is dedicated to another pod"),
                raw(
                        "bind to a node that labelled itself",
                        "/scheduler/bind",
                        bytes(Fixtures.bindArgs("web", webUid, "liar")),
                        200,
                        "labelled itself for this pod but is not verified"),
                raw(
                        "bind to an ordinary node",
                        "/scheduler/bind",
                        bytes(Fixtures.bindArgs("web", webUid, "worker-1")),
                        200,
                        "is not the pod's verified dedicated node"),
                raw(
                        "bind with a stale UID",
                        "/scheduler/bind",
                        bytes(Fixtures.bindArgs("web", OTHER_UID, webNode)),
                        200,
                        "(recreated under the same name)"),
                raw(
                        "bind a pod that does not exist",
                        "/scheduler/bind",
                        bytes(Fixtures.bindArgs("ghost", webUid, webNode)),
                        200,
                        "pod team-a/ghost not found"));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(String head, byte[] middle, String tail) {
        byte[] a = bytes(head);
        byte[] c = bytes(tail);
        byte[] all = Arrays.copyOf(a, a.length + middle.length + c.length);
        System.arraycopy(middle, 0, all, a.length, middle.length);
        System.arraycopy(c, 0, all, a.length + middle.length, c.length);
        return all;
    }
}
