package io.maroonedpods.simulator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.testcluster.ApiServer;
import io.maroonedpods.testcluster.FaultInjector;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The driver against a tiny extender that rejects until told otherwise, then binds through the API. */
class SchedulerDriverTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiServer server;
    private KubernetesClient client;
    private HttpServer extender;
    private SchedulerCaches caches;
    private SchedulerDriver driver;
    private final SchedulingRecord record = new SchedulingRecord();
    private final AtomicBoolean accept = new AtomicBoolean();
    private final List<JsonNode> filterCalls = new CopyOnWriteArrayList<>();
    private final List<JsonNode> bindCalls = new CopyOnWriteArrayList<>();
    private final List<JsonNode> prioritizeCalls = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = ApiServer.start(new FaultInjector(0, 1), Clock.systemUTC());
        client = server.simulatorClient();
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("t")
                        .endMetadata()
                        .build())
                .create();
        for (String name : List.of("w1", "m1")) {
            client.nodes()
                    .resource(new NodeBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .endMetadata()
                            .withNewStatus()
                            .addNewCondition()
                            .withType("Ready")
                            .withStatus("True")
                            .endCondition()
                            .endStatus()
                            .build())
                    .create();
        }
        extender = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        extender.createContext("/scheduler/filter", this::filter);
        extender.createContext("/scheduler/prioritize", exchange -> {
            prioritizeCalls.add(read(exchange));
            answer(exchange, "[]");
        });
        extender.createContext("/scheduler/bind", this::bind);
        extender.start();
        SchedulerProfile profile = new SchedulerProfile(
                "maroon-scheduler",
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                SchedulerProfile.ExtenderSettings.designDefaults(),
                "test");
        ExtenderClient extenderClient =
                new ExtenderClient("http://127.0.0.1:" + extender.getAddress().getPort(), profile.extender());
        caches = SchedulerCaches.start(client);
        driver = new SchedulerDriver(client, caches, profile, extenderClient, Clock.systemUTC(), 1, record).start();
    }

    @AfterEach
    void stop() {
        driver.close();
        caches.close();
        extender.stop(0);
        client.close();
        server.close();
    }

    private void filter(HttpExchange exchange) throws IOException {
        JsonNode args = read(exchange);
        filterCalls.add(args);
        String answer = accept.get()
                ? "{\"NodeNames\":[\"m1\"],\"FailedNodes\":null,\"FailedAndUnresolvableNodes\":{\"w1\":\"not the pod's node\"},\"Error\":\"\"}"
                : "{\"NodeNames\":[],\"FailedNodes\":{},\"FailedAndUnresolvableNodes\":{\"w1\":\"not the pod's node\","
                        + "\"m1\":\"dedicated VM node m1 is booting\"},\"Error\":\"\"}";
        answer(exchange, answer);
    }

    private void bind(HttpExchange exchange) throws IOException {
        JsonNode args = read(exchange);
        bindCalls.add(args);
        client.bindings()
                .inNamespace(args.path("PodNamespace").asText())
                .resource(new BindingBuilder()
                        .withNewMetadata()
                        .withName(args.path("PodName").asText())
                        .withUid(args.path("PodUID").asText())
                        .endMetadata()
                        .withNewTarget()
                        .withKind("Node")
                        .withName(args.path("Node").asText())
                        .endTarget()
                        .build())
                .create();
        answer(exchange, "{\"Error\":\"\"}");
    }

    private static JsonNode read(HttpExchange exchange) throws IOException {
        return JSON.readTree(exchange.getRequestBody().readAllBytes());
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private Pod createPod(String name, boolean gated) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("t")
                .endMetadata()
                .withNewSpec()
                .withSchedulerName("maroon-scheduler")
                .addNewContainer()
                .withName("c")
                .withImage("i")
                .endContainer()
                .endSpec();
        if (gated) {
            pod.editSpec().addNewSchedulingGate("maroonedpods.io/vm-ready").endSpec();
        }
        return client.resource(pod.build()).create();
    }

    private String nodeOf(String name) {
        return client.pods().inNamespace("t").withName(name).get().getSpec().getNodeName();
    }

    @Test
    void aRejectedPodIsRecordedAsFailedSchedulingAndBoundOnceTheExtenderAccepts() {
        Pod pod = createPod("p", false);

        await().until(
                        () -> client.events().v1().events().inNamespace("t").list().getItems().stream()
                                .anyMatch(
                                        e -> "FailedScheduling".equals(e.getReason())
                                                && e.getNote()
                                                        .equals(
                                                                "0/2 nodes are available: 1 dedicated VM node m1 is booting, 1 not the pod's node.")));
        JsonNode args = filterCalls.get(0);
        assertThat(args.has("Nodes")).isTrue();
        assertThat(args.get("Nodes").isNull()).isTrue();
        assertThat(args.get("NodeNames")).extracting(JsonNode::asText).containsExactlyInAnyOrder("w1", "m1");
        assertThat(args.get("Pod").path("metadata").path("name").asText()).isEqualTo("p");
        assertThat(args.get("Pod").has("kind")).isFalse();

        accept.set(true);
        client.nodes()
                .withName("m1")
                .edit(n -> new NodeBuilder(n)
                        .editMetadata()
                        .addToLabels("verified", "yes")
                        .endMetadata()
                        .build());

        await().atMost(Duration.ofSeconds(10)).until(() -> "m1".equals(nodeOf("p")));
        JsonNode bind = bindCalls.get(0);
        assertThat(bind.get("PodName").asText()).isEqualTo("p");
        assertThat(bind.get("PodNamespace").asText()).isEqualTo("t");
        assertThat(bind.get("PodUID").asText()).isEqualTo(pod.getMetadata().getUid());
        assertThat(bind.get("Node").asText()).isEqualTo("m1");
        assertThat(prioritizeCalls)
                .as("prioritize is skipped when one node is left")
                .isEmpty();
        assertThat(record.sample()).anyMatch(m -> m.contains("is booting"));
    }

    @Test
    void aPodGoesOnlyToNodesItsNodeSelectorSelectsAndTheExtenderSeesNoOther() {
        accept.set(true);
        client.resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("s")
                        .withNamespace("t")
                        .endMetadata()
                        .withNewSpec()
                        .withSchedulerName("maroon-scheduler")
                        .addToNodeSelector("disk", "ssd")
                        .addNewContainer()
                        .withName("c")
                        .withImage("i")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();

        await().until(
                        () -> client.events().v1().events().inNamespace("t").list().getItems().stream()
                                .anyMatch(
                                        e -> "FailedScheduling".equals(e.getReason())
                                                && e.getNote()
                                                        .equals(
                                                                "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.")));
        assertThat(filterCalls).as("no node passed the scheduler's own filters").isEmpty();

        client.nodes()
                .withName("m1")
                .edit(n -> new NodeBuilder(n)
                        .editMetadata()
                        .addToLabels("disk", "ssd")
                        .endMetadata()
                        .build());

        await().atMost(Duration.ofSeconds(10)).until(() -> "m1".equals(nodeOf("s")));
        assertThat(filterCalls.getLast().get("NodeNames"))
                .extracting(JsonNode::asText)
                .containsExactly("m1");
    }

    @Test
    void aGatedPodIsNotTriedUntilItsGateIsRemoved() throws InterruptedException {
        accept.set(true);
        createPod("g", true);
        Thread.sleep(1500);
        assertThat(filterCalls).isEmpty();
        assertThat(driver.where("t", "g")).contains(SchedulingQueue.Where.GATED);

        client.pods()
                .inNamespace("t")
                .withName("g")
                .edit(p -> new PodBuilder(p)
                        .editSpec()
                        .withSchedulingGates()
                        .endSpec()
                        .build());

        await().atMost(Duration.ofSeconds(10)).until(() -> "m1".equals(nodeOf("g")));
        assertThat(filterCalls).hasSize(1);
    }

    @Test
    void anExtenderErrorBacksThePodOffAndItIsRetried() {
        extender.removeContext("/scheduler/filter");
        extender.createContext("/scheduler/filter", exchange -> {
            filterCalls.add(read(exchange));
            if (filterCalls.size() == 1) {
                exchange.sendResponseHeaders(500, -1);
                exchange.close();
            } else {
                answer(exchange, "{\"NodeNames\":[\"m1\"]}");
            }
        });
        createPod("e", false);

        await().atMost(Duration.ofSeconds(10)).until(() -> "m1".equals(nodeOf("e")));
        assertThat(filterCalls).hasSize(2);
        assertThat(record.sample()).anyMatch(m -> m.contains("code 500"));
    }
}
