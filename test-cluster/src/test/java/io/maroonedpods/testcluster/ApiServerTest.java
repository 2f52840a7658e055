package io.maroonedpods.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
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

class ApiServerTest {
    private RunningApi api;
    private ApiServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        api = RunningApi.start("tenant");
        server = api.server();
        client = api.client();
        ClusterCrds.install(client);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Pod pod(String name, String scheduler) {
        return client.pods()
                .inNamespace("tenant")
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withNewSpec()
                        .withSchedulerName(scheduler)
                        .addNewContainer()
                        .withName("c")
                        .withImage("busybox")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
    }

    @Test
    void bindingSetsTheNodeAndPodScheduled() {
        Pod pod = pod("p1", "maroon-scheduler");
        client.bindings()
                .inNamespace("tenant")
                .resource(new BindingBuilder()
                        .withNewMetadata()
                        .withName("p1")
                        .withUid(pod.getMetadata().getUid())
                        .endMetadata()
                        .withNewTarget()
                        .withKind("Node")
                        .withName("n1")
                        .endTarget()
                        .build())
                .create();

        Pod bound = client.pods().inNamespace("tenant").withName("p1").get();
        assertThat(bound.getSpec().getNodeName()).isEqualTo("n1");
        assertThat(bound.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("PodScheduled");
            assertThat(c.getStatus()).isEqualTo("True");
        });
    }

    @Test
    void secondBindingIsAConflictThatSaysAlreadyAssigned() {
        Pod pod = pod("p2", "maroon-scheduler");
        var binding = new BindingBuilder()
                .withNewMetadata()
                .withName("p2")
                .endMetadata()
                .withNewTarget()
                .withKind("Node")
                .withName("n1")
                .endTarget()
                .build();
        client.bindings().inNamespace("tenant").resource(binding).create();

        assertThatThrownBy(() -> client.bindings()
                        .inNamespace("tenant")
                        .resource(binding)
                        .create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("already assigned to node \"n1\"");
                });
        assertThat(pod.getSpec().getNodeName()).isNull();
    }

    @Test
    void bindingWithAnotherPodsUidIsRefusedAndLeavesThePodUnbound() {
        pod("p3", "maroon-scheduler");
        var binding = new BindingBuilder()
                .withNewMetadata()
                .withName("p3")
                .withUid("00000000-0000-0000-0000-000000000000")
                .endMetadata()
                .withNewTarget()
                .withKind("Node")
                .withName("n1")
                .endTarget()
                .build();

        assertThatThrownBy(() -> client.bindings()
                        .inNamespace("tenant")
                        .resource(binding)
                        .create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("Precondition failed: UID in precondition");
                });
        assertThat(client.pods()
                        .inNamespace("tenant")
                        .withName("p3")
                        .get()
                        .getSpec()
                        .getNodeName())
                .isNull();
    }

    @Test
    void bindingAMissingPodIsNotFound() {
        var binding = new BindingBuilder()
                .withNewMetadata()
                .withName("ghost")
                .endMetadata()
                .withNewTarget()
                .withKind("Node")
                .withName("n1")
                .endTarget()
                .build();
        assertThatThrownBy(() -> client.bindings()
                        .inNamespace("tenant")
                        .resource(binding)
                        .create())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(404));
    }

    @Test
    void fieldSelectorsFilterListsIncludingEmptyValues() {
        pod("maroon", "maroon-scheduler");
        pod("plain", "default-scheduler");

        assertThat(client.pods()
                        .inAnyNamespace()
                        .withField("spec.schedulerName", "maroon-scheduler")
                        .list()
                        .getItems())
                .extracting(p -> p.getMetadata().getName())
                .containsExactly("maroon");
        assertThat(client.pods()
                        .inAnyNamespace()
                        .withoutField("spec.schedulerName", "maroon-scheduler")
                        .list()
                        .getItems())
                .extracting(p -> p.getMetadata().getName())
                .containsExactly("plain");
        assertThat(client.pods()
                        .inAnyNamespace()
                        .withField("spec.nodeName", "")
                        .list()
                        .getItems())
                .hasSize(2);
    }

    @Test
    void fieldSelectedInformerSeesAnObjectLeaveTheSelectionAsADeletion() {
        List<String> seen = new CopyOnWriteArrayList<>();
        SharedIndexInformer<Pod> informer = client.pods()
                .inAnyNamespace()
                .withField("spec.schedulerName", "maroon-scheduler")
                .withField("spec.nodeName", "")
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        seen.add("add " + pod.getMetadata().getName());
                    }

                    @Override
                    public void onUpdate(Pod oldPod, Pod newPod) {
                        seen.add("update " + newPod.getMetadata().getName());
                    }

                    @Override
                    public void onDelete(Pod pod, boolean unknown) {
                        seen.add("delete " + pod.getMetadata().getName());
                    }
                });
        try {
            pod("other", "default-scheduler");
            pod("mine", "maroon-scheduler");
            await().until(() -> seen.contains("add mine"));
            client.bindings()
                    .inNamespace("tenant")
                    .resource(new BindingBuilder()
                            .withNewMetadata()
                            .withName("mine")
                            .endMetadata()
                            .withNewTarget()
                            .withName("n1")
                            .endTarget()
                            .build())
                    .create();
            await().until(() -> seen.contains("delete mine"));
            assertThat(seen).noneMatch(s -> s.endsWith("other"));
            assertThat(informer.getStore().list()).isEmpty();
        } finally {
            informer.close();
        }
    }

    @Test
    void nodeStatusLabelsAndLabelSelectorsWork() {
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("n1")
                        .addToLabels("role", "worker")
                        .endMetadata()
                        .build())
                .create();
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("n2")
                        .endMetadata()
                        .build())
                .create();

        var node = client.nodes().withName("n1").get();
        node.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                .withConditions(new NodeConditionBuilder()
                        .withType("Ready")
                        .withStatus("True")
                        .build())
                .build());
        client.nodes().resource(node).updateStatus();
        client.nodes()
                .withName("n1")
                .edit(n -> new NodeBuilder(n)
                        .editMetadata()
                        .addToLabels("verified", "yes")
                        .endMetadata()
                        .build());

        var stored = client.nodes().withName("n1").get();
        assertThat(stored.getStatus().getConditions())
                .extracting(c -> c.getStatus())
                .containsExactly("True");
        assertThat(stored.getMetadata().getLabels()).containsEntry("verified", "yes");
        assertThat(client.nodes().withLabel("role", "worker").list().getItems())
                .extracting(n -> n.getMetadata().getName())
                .containsExactly("n1");
    }

    @Test
    void eventsLeasesAndVirtualMachineInstancesAreStored() {
        client.resource(new EventBuilder()
                        .withNewMetadata()
                        .withName("p.1")
                        .withNamespace("tenant")
                        .endMetadata()
                        .withReason("FailedScheduling")
                        .withNote("0/1 nodes are available")
                        .withType("Warning")
                        .withReportingController("maroon-scheduler")
                        .withReportingInstance("sim")
                        .withAction("Scheduling")
                        .withNewRegarding()
                        .withKind("Pod")
                        .withName("p")
                        .withNamespace("tenant")
                        .endRegarding()
                        .withNewEventTime("2026-01-01T00:00:00.000000Z")
                        .build())
                .create();
        client.resource(new LeaseBuilder()
                        .withNewMetadata()
                        .withName("leader")
                        .withNamespace("tenant")
                        .endMetadata()
                        .withNewSpec()
                        .withHolderIdentity("me")
                        .endSpec()
                        .build())
                .create();
        var vmis = client.genericKubernetesResources(vmiContext());
        GenericKubernetesResource vmi = new GenericKubernetesResourceBuilder()
                .withApiVersion("kubevirt.io/v1")
                .withKind("VirtualMachineInstance")
                .withNewMetadata()
                .withName("maroon-x")
                .withNamespace("tenant")
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("domain", Map.of())))
                .build();
        vmis.inNamespace("tenant").resource(vmi).create();

        assertThat(client.events().v1().events().inNamespace("tenant").list().getItems())
                .extracting(e -> e.getReason())
                .containsExactly("FailedScheduling");
        assertThat(client.leases()
                        .inNamespace("tenant")
                        .withName("leader")
                        .get()
                        .getSpec()
                        .getHolderIdentity())
                .isEqualTo("me");
        assertThat(vmis.inAnyNamespace().list().getItems())
                .extracting(v -> v.getMetadata().getName())
                .containsExactly("maroon-x");
    }

    private static ResourceDefinitionContext vmiContext() {
        return new ResourceDefinitionContext.Builder()
                .withGroup("kubevirt.io")
                .withVersion("v1")
                .withPlural("virtualmachineinstances")
                .withKind("VirtualMachineInstance")
                .withNamespaced(true)
                .build();
    }

    @Test
    void componentRequestsGetInjectedFaultsAndTheSimulatorsDoNot() throws Exception {
        FaultInjector faults = new FaultInjector(1.0, 7);
        try (ApiServer faulty = ApiServer.start(faults, Clock.systemUTC())) {
            faults.enable();
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(faulty.url() + "/api/v1/nodes"));

            HttpResponse<String> simulator = http.send(get.build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> component = http.send(
                    get.header(ApiHandler.CALLER_HEADER, ApiHandler.COMPONENT_CALLER)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(simulator.statusCode()).isEqualTo(200);
            assertThat(component.statusCode()).isIn(500, 429);
            assertThat(component.body()).contains("\"kind\":\"Status\"").contains("simulated fault");
            assertThat(faults.injected()).isEqualTo(1);
        }
    }

    @Test
    void schedulerStyleBindingSubresourceBindsToo() throws Exception {
        Pod pod = pod("p4", "maroon-scheduler");
        String binding = """
                {"apiVersion":"v1","kind":"Binding","metadata":{"name":"p4","uid":"%s"},"target":{"kind":"Node","name":"n9"}}
                """.formatted(pod.getMetadata().getUid());
        HttpResponse<String> response = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/namespaces/tenant/pods/p4/binding"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(binding))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(client.pods()
                        .inNamespace("tenant")
                        .withName("p4")
                        .get()
                        .getSpec()
                        .getNodeName())
                .isEqualTo("n9");
    }
}
