package io.maroonedpods.extender;

import static io.maroonedpods.extender.Fixtures.OTHER_UID;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.maroonedpods.api.Names;
import io.maroonedpods.testcluster.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /bind against the fake cluster, whose API server binds as kube-apiserver does ({@link TestCluster}). */
class BindTest {
    TestExtender extender;
    /** The API server assigns UIDs itself: the pod's UID and node name are known only after creating it. */
    String uid;

    String node;

    @BeforeEach
    void start() {
        TestCluster api = TestCluster.start("team-a");
        uid = api.client()
                .pods()
                .resource(Fixtures.apiPod("web", uid, Names.SCHEDULER_NAME))
                .create()
                .getMetadata()
                .getUid();
        node = Names.nodeName(uid);
        api.client().nodes().resource(Fixtures.verifiedApiNode(node, uid)).create();
        extender = TestExtender.start(api);
    }

    @AfterEach
    void stop() {
        extender.close();
    }

    ExtenderClient.Reply bind(String pod, String uid, String node) {
        return extender.client.post("/scheduler/bind", Fixtures.bindArgs(pod, uid, node));
    }

    String nodeOf(String pod) {
        return extender.api
                .client()
                .pods()
                .inNamespace("team-a")
                .withName(pod)
                .get()
                .getSpec()
                .getNodeName();
    }

    @Test
    void bindsTheMaroonPodToItsVerifiedNode() {
        ExtenderClient.Reply reply = bind("web", uid, node);

        assertEquals(200, reply.status());
        assertEquals("{\"Error\":\"\"}", reply.body());
        assertEquals(node, nodeOf("web"));
        assertEquals(List.of("team-a/web -> " + node), extender.api.acceptedBindings());
    }

    @Test
    void aBindRecordsABoundEventOnThePod() {
        bind("web", uid, node);

        Event event = await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                extender
                                        .api
                                        .client()
                                        .resources(Event.class)
                                        .inNamespace("team-a")
                                        .list()
                                        .getItems()
                                        .stream()
                                        .filter(e -> "Bound".equals(e.getReason()))
                                        .findFirst()
                                        .orElse(null),
                        e -> e != null);
        assertEquals("web", event.getRegarding().getName());
        assertEquals(uid, event.getRegarding().getUid());
        assertEquals(node, event.getRelated().getName());
        assertEquals("Normal", event.getType());
        assertEquals("bound to its verified VM node " + node + ", where it runs alone", event.getNote());
    }

    @Test
    void aRepeatedBindToTheSameNodeSucceedsWithoutASecondBinding() {
        bind("web", uid, node);
        ExtenderClient.Reply again = bind("web", uid, node);

        assertEquals("", again.error());
        assertEquals(1, extender.api.acceptedBindings().size());
    }

    @Test
    void aConflictAlreadyAssignedToTheSameNodeIsSuccess() {
        bind("web", uid, node);
        // Our read sees the pod unbound (it raced with the first bind); the API server answers 409 already assigned.
        extender.api.answerNextReadWith(Fixtures.apiPod("web", uid, Names.SCHEDULER_NAME));
        ExtenderClient.Reply reply = bind("web", uid, node);

        assertEquals(200, reply.status());
        assertEquals("", reply.error());
        assertEquals(1, extender.api.acceptedBindings().size());
    }

    @Test
    void aPodRecreatedUnderTheSameNameBetweenReadAndBindIsRefused() {
        extender.api.client().pods().inNamespace("team-a").withName("web").delete();
        String newUid = extender.api
                .client()
                .pods()
                .resource(Fixtures.apiPod("web", OTHER_UID, Names.SCHEDULER_NAME))
                .create()
                .getMetadata()
                .getUid();
        // Our read still sees the old pod; the UID precondition of the Binding catches it (409), the re-read names it.
        extender.api.answerNextReadWith(Fixtures.apiPod("web", uid, Names.SCHEDULER_NAME));
        ExtenderClient.Reply reply = bind("web", uid, node);

        assertEquals(
                "pod team-a/web has UID " + newUid + ", not " + uid + " (recreated under the same name)",
                reply.error());
        assertEquals(List.of(), extender.api.acceptedBindings());
    }

    @Test
    void refusalsAnswer200WithAnErrorSayingWhich() {
        String plainUid = extender.api
                .client()
                .pods()
                .resource(Fixtures.apiPod("plain", OTHER_UID, "default-scheduler"))
                .create()
                .getMetadata()
                .getUid();
        extender.api
                .client()
                .nodes()
                .resource(Fixtures.apiNode("liar", Map.of(Names.POD_UID_LABEL, uid), true))
                .create();

        assertEquals("pod team-a/ghost not found", bind("ghost", uid, node).error());
        assertEquals(
                "pod team-a/web has UID " + uid + ", not " + OTHER_UID + " (recreated under the same name)",
                bind("web", OTHER_UID, node).error());
        assertEquals(
                "pod team-a/plain is not a maroon pod: this extender binds only maroon pods",
                bind("plain", plainUid, node).error());
        assertEquals(
                "node liar labelled itself for this pod but is not verified",
                bind("web", uid, "liar").error());
        assertEquals("node worker-9 not found", bind("web", uid, "worker-9").error());
        assertEquals(List.of(), extender.api.acceptedBindings());
        assertEquals(200, bind("web", uid, "worker-9").status());
    }

    @Test
    void aPodBoundElsewhereIsNotMoved() {
        // Another scheduler bound it first: a Binding is the only way a pod gets a node.
        extender.api
                .client()
                .bindings()
                .inNamespace("team-a")
                .resource(TestCluster.binding("web", "worker-1"))
                .create();

        assertEquals(
                "pod team-a/web is already bound to node worker-1",
                bind("web", uid, node).error());
    }

    @Test
    void bindOutcomesAreCounted() {
        bind("web", uid, node);
        bind("ghost", uid, node);

        String metrics = extender.client.get("/metrics").body();
        org.assertj.core.api.Assertions.assertThat(metrics)
                .contains("extender_binds_total{outcome=\"bound\"} 1")
                .contains("extender_binds_total{outcome=\"refused\"} 1");
    }
}
