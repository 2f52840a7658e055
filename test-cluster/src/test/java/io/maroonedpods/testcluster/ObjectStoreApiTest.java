package io.maroonedpods.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated API server's storage semantics, through the fabric8 client the components use. */
class ObjectStoreApiTest {
    private ApiServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server = ApiServer.start(new FaultInjector(0, 1), Clock.systemUTC(), 50);
        client = server.componentClient();
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("a")
                        .endMetadata()
                        .build())
                .create();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private Pod pod(String name, Map<String, String> labels) {
        return client.pods()
                .inNamespace("a")
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(labels)
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("c")
                        .withImage("busybox")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
    }

    private Node node(String name) {
        return client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .addToLabels("n", name)
                        .endMetadata()
                        .withNewStatus()
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("False")
                        .endCondition()
                        .endStatus()
                        .build())
                .create();
    }

    @Test
    void aJsonPatchWhoseTestFailsIsRefusedWhole() {
        node("n1");
        String label = "[{\"op\":\"add\",\"path\":\"/metadata/labels/verified\",\"value\":\"yes\"}]";
        String testing = "[{\"op\":\"test\",\"path\":\"/metadata/labels/n\",\"value\":\"%s\"}," + label.substring(1);

        assertThatThrownBy(() -> client.nodes()
                        .withName("n1")
                        .patch(PatchContext.of(PatchType.JSON), testing.formatted("another")))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(422));
        assertThat(client.nodes().withName("n1").get().getMetadata().getLabels())
                .doesNotContainKey("verified");

        client.nodes().withName("n1").patch(PatchContext.of(PatchType.JSON), testing.formatted("n1"));
        assertThat(client.nodes().withName("n1").get().getMetadata().getLabels())
                .containsEntry("verified", "yes");
    }

    @Test
    void podsOfOneNodeAreListedByNodeNameAsTheyMoveAndGo() {
        pod("unbound", Map.of());
        pod("first", Map.of());
        pod("second", Map.of());
        bind("first", "n1");
        bind("second", "n1");
        client.pods().inNamespace("a").withName("second").delete();

        assertThat(names(client.pods()
                        .inAnyNamespace()
                        .withField("spec.nodeName", "n1")
                        .list()
                        .getItems()))
                .containsExactly("first");
        assertThat(names(client.pods()
                        .inNamespace("a")
                        .withField("spec.nodeName", "")
                        .list()
                        .getItems()))
                .as("unbound pods are those with an empty node name")
                .containsExactly("unbound");
        assertThat(client.pods()
                        .inAnyNamespace()
                        .withField("spec.nodeName", "n2")
                        .list()
                        .getItems())
                .isEmpty();
        assertThat(names(client.pods()
                        .inNamespace("a")
                        .withField("metadata.name", "first")
                        .withField("spec.nodeName", "n1")
                        .list()
                        .getItems()))
                .as("the other requirements still apply")
                .containsExactly("first");
    }

    private void bind(String pod, String node) {
        client.bindings()
                .inNamespace("a")
                .resource(TestCluster.binding(pod, node))
                .create();
    }

    private static List<String> names(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName()).toList();
    }

    @Test
    void createGetListAndSelectorsBehaveLikeTheApiServer() {
        Pod created = pod("p1", Map.of("app", "web"));
        pod("p2", Map.of("app", "db"));
        assertThat(created.getMetadata().getUid())
                .isNotBlank()
                .isNotEqualTo(client.pods()
                        .inNamespace("a")
                        .withName("p2")
                        .get()
                        .getMetadata()
                        .getUid());
        assertThat(created.getMetadata().getCreationTimestamp()).isNotBlank();
        assertThat(client.pods()
                        .inNamespace("a")
                        .withName("p1")
                        .get()
                        .getMetadata()
                        .getResourceVersion())
                .isEqualTo(created.getMetadata().getResourceVersion());
        assertThat(client.pods().inNamespace("a").withLabel("app", "web").list().getItems())
                .extracting(p -> p.getMetadata().getName())
                .containsExactly("p1");
        assertThat(client.pods()
                        .inAnyNamespace()
                        .withLabelIn("app", "web", "db")
                        .list()
                        .getItems())
                .hasSize(2);
        assertThat(client.pods()
                        .inAnyNamespace()
                        .withField("metadata.name", "p2")
                        .list()
                        .getItems())
                .hasSize(1);
        assertThat(client.pods().inNamespace("other").list().getItems()).isEmpty();
        assertThat(Long.parseLong(
                        client.pods().inNamespace("a").list().getMetadata().getResourceVersion()))
                .isGreaterThanOrEqualTo(Long.parseLong(created.getMetadata().getResourceVersion()));
        assertThat(client.pods().inNamespace("a").withName("missing").get()).isNull();
        assertThatThrownBy(() -> pod("p1", Map.of())).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(409);
            assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
            assertThat(e.getStatus().getMessage()).isEqualTo("pods \"p1\" already exists");
        });
        Pod generated = client.pods()
                .inNamespace("a")
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withGenerateName("gen-")
                        .endMetadata()
                        .build())
                .create();
        assertThat(generated.getMetadata().getName()).matches("gen-[a-z0-9]{5}");
    }

    @Test
    void listsArePagedWithAContinueToken() {
        for (int i = 1; i <= 5; i++) {
            node("n" + i);
        }
        NodeList first =
                client.nodes().list(new ListOptionsBuilder().withLimit(2L).build());
        assertThat(first.getItems()).extracting(n -> n.getMetadata().getName()).containsExactly("n1", "n2");
        NodeList second = client.nodes()
                .list(new ListOptionsBuilder()
                        .withLimit(2L)
                        .withContinue(first.getMetadata().getContinue())
                        .build());
        assertThat(second.getItems()).extracting(n -> n.getMetadata().getName()).containsExactly("n3", "n4");
        assertThat(second.getMetadata().getResourceVersion())
                .as("pages share the first page's version")
                .isEqualTo(first.getMetadata().getResourceVersion());
        NodeList last = client.nodes()
                .list(new ListOptionsBuilder()
                        .withLimit(2L)
                        .withContinue(second.getMetadata().getContinue())
                        .build());
        assertThat(last.getItems()).extracting(n -> n.getMetadata().getName()).containsExactly("n5");
        assertThat(last.getMetadata().getContinue()).isNull();
    }

    @Test
    void anUpdateFromAStaleCopyIsAConflictAndAnUnchangedOneIsNoWrite() {
        Node stale = node("n1");
        Node fresh = client.nodes()
                .withName("n1")
                .edit(n -> new NodeBuilder(n)
                        .editMetadata()
                        .addToLabels("x", "1")
                        .endMetadata()
                        .build());
        assertThat(fresh.getMetadata().getResourceVersion())
                .isNotEqualTo(stale.getMetadata().getResourceVersion());
        stale.getMetadata().getLabels().put("y", "2");
        assertThatThrownBy(() -> client.nodes().resource(stale).update())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(409));
        Node again = client.nodes().resource(fresh).update();
        assertThat(again.getMetadata().getResourceVersion())
                .as("nothing changed, nothing written")
                .isEqualTo(fresh.getMetadata().getResourceVersion());
    }

    @Test
    void jsonAndMergePatchesApplyAndStrategicMergeIsRefused() {
        pod("p1", Map.of("app", "web"));
        client.pods()
                .inNamespace("a")
                .withName("p1")
                .edit(p -> new PodBuilder(p)
                        .editMetadata()
                        .addToLabels("edited", "yes")
                        .endMetadata()
                        .build());
        client.pods()
                .inNamespace("a")
                .withName("p1")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"labels\":{\"app\":null,\"merged\":\"yes\"}}}");
        assertThat(client.pods()
                        .inNamespace("a")
                        .withName("p1")
                        .get()
                        .getMetadata()
                        .getLabels())
                .containsOnly(Map.entry("edited", "yes"), Map.entry("merged", "yes"));
        assertThatThrownBy(() -> client.pods()
                        .inNamespace("a")
                        .withName("p1")
                        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), "{\"metadata\":{\"labels\":{\"s\":\"1\"}}}"))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(415));
        assertThatThrownBy(() -> client.pods()
                        .inNamespace("a")
                        .withName("p1")
                        .patch(
                                PatchContext.of(PatchType.JSON_MERGE),
                                "{\"metadata\":{\"resourceVersion\":\"1\",\"labels\":{\"s\":\"1\"}}}"))
                .as("a patch carrying a stale resourceVersion")
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void statusChangesOnlyThroughTheStatusSubresource() {
        Node node = node("n1");
        node.getStatus().getConditions().getFirst().setStatus("True");
        node.getMetadata().getLabels().put("via", "main");
        Node main = client.nodes().resource(node).update();
        assertThat(main.getMetadata().getLabels()).containsEntry("via", "main");
        assertThat(main.getStatus().getConditions().getFirst().getStatus())
                .as("a main-resource PUT keeps the status")
                .isEqualTo("False");
        main.getStatus().getConditions().getFirst().setStatus("True");
        main.getMetadata().getLabels().put("via", "status");
        Node status = client.nodes().resource(main).updateStatus();
        assertThat(status.getStatus().getConditions().getFirst().getStatus()).isEqualTo("True");
        assertThat(status.getMetadata().getLabels())
                .as("a status PUT changes only the status")
                .containsEntry("via", "main");
    }

    @Test
    void deleteWaitsForFinalizersAndChecksPreconditions() throws Exception {
        client.pods()
                .inNamespace("a")
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("held")
                        .addToFinalizers("example.com/f")
                        .endMetadata()
                        .build())
                .create();
        client.pods().inNamespace("a").withName("held").delete();
        Pod deleting = client.pods().inNamespace("a").withName("held").get();
        assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotBlank();
        client.pods()
                .inNamespace("a")
                .withName("held")
                .edit(p -> new PodBuilder(p)
                        .editMetadata()
                        .withFinalizers(List.of())
                        .endMetadata()
                        .build());
        assertThat(client.pods().inNamespace("a").withName("held").get())
                .as("gone once its finalizers are")
                .isNull();

        Pod p = pod("p1", Map.of());
        HttpResponse<String> wrongUid =
                delete("/api/v1/namespaces/a/pods/p1", "{\"preconditions\":{\"uid\":\"not-it\"}}");
        assertThat(wrongUid.statusCode()).isEqualTo(409);
        assertThat(wrongUid.body()).contains("Precondition failed: UID in precondition: not-it");
        HttpResponse<String> rightUid = delete(
                "/api/v1/namespaces/a/pods/p1",
                "{\"preconditions\":{\"uid\":\"" + p.getMetadata().getUid() + "\"},\"gracePeriodSeconds\":30}");
        assertThat(rightUid.statusCode()).isEqualTo(200);
        assertThat(client.pods().inNamespace("a").withName("p1").get()).isNull();
        assertThat(delete("/api/v1/namespaces/a/pods/p1", "").body()).contains("pods \\\"p1\\\" not found");
    }

    @Test
    void evictionDeletesThePod() {
        pod("p1", Map.of());
        assertThat(client.pods().inNamespace("a").withName("p1").evict()).isTrue();
        assertThat(client.pods().inNamespace("a").withName("p1").get()).isNull();
    }

    @Test
    void aWatchFromAResourceVersionGetsExactlyTheLaterEventsAndATooOldOneGets410() {
        Pod first = pod("p1", Map.of());
        pod("p2", Map.of());
        client.pods().inNamespace("a").withName("p1").delete();
        List<String> events = new CopyOnWriteArrayList<>();
        var watch = client.pods()
                .inNamespace("a")
                .watch(
                        new ListOptionsBuilder()
                                .withResourceVersion(first.getMetadata().getResourceVersion())
                                .build(),
                        recorder(events));
        await().until(() -> events.size() >= 2);
        assertThat(events).containsExactly("ADDED p2", "DELETED p1");
        watch.close();

        for (int i = 0; i < 60; i++) {
            client.pods()
                    .inNamespace("a")
                    .withName("p2")
                    .edit(p -> new PodBuilder(p)
                            .editMetadata()
                            .addToAnnotations("n", Long.toString(System.nanoTime()))
                            .endMetadata()
                            .build());
        }
        List<String> expired = new CopyOnWriteArrayList<>();
        client.pods()
                .inNamespace("a")
                .watch(
                        new ListOptionsBuilder()
                                .withResourceVersion(first.getMetadata().getResourceVersion())
                                .build(),
                        recorder(expired));
        await().until(() -> !expired.isEmpty());
        assertThat(expired).containsExactly("CLOSED 410");
    }

    @Test
    void aWatchWithoutResourceVersionStartsWithTheObjectsThatExist() throws Exception {
        pod("p1", Map.of());
        HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        server.url() + "/api/v1/namespaces/a/pods?watch=true&timeoutSeconds=1"))
                                .build(),
                        HttpResponse.BodyHandlers.ofLines());
        assertThat(response.body().toList())
                .as("one event per line, until the watch times out")
                .singleElement()
                .asString()
                .startsWith("{\"type\":\"ADDED\",\"object\":{")
                .contains("\"name\":\"p1\"");
    }

    /** Records each event as "ACTION name", and the end as "CLOSED 410" or its message. */
    static Watcher<Pod> recorder(java.util.Collection<String> events) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                events.add(action + " " + pod.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
                events.add("CLOSED " + (cause.isHttpGone() ? "410" : cause.getMessage()));
            }
        };
    }

    private HttpResponse<String> delete(String path, String body) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + path))
                                .header("Content-Type", "application/json")
                                .method("DELETE", HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
