package io.maroonedpods.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated API server refuses what kube-apiserver refuses: unserved resources, unsupported field selectors, pod
 * updates that change more than kube-apiserver lets them, creates in a namespace that does not exist.
 */
class StrictApiTest {
    private static final String NOT_FOUND = "the server could not find the requested resource";
    private static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder()
            .withGroup("example.com")
            .withVersion("v1")
            .withPlural("widgets")
            .withKind("Widget")
            .withNamespaced(true)
            .build();
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private RunningApi api;
    private ApiServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        api = RunningApi.start("tenant");
        server = api.server();
        client = api.client();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static CustomResourceDefinition widgetCrd() {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("widgets.example.com")
                .endMetadata()
                .withNewSpec()
                .withGroup("example.com")
                .withScope("Namespaced")
                .withNewNames()
                .withPlural("widgets")
                .withKind("Widget")
                .endNames()
                .addNewVersion()
                .withName("v1")
                .withServed(true)
                .withStorage(true)
                .endVersion()
                .endSpec()
                .build();
    }

    private void createWidget(String name) {
        client.genericKubernetesResources(WIDGETS)
                .inNamespace("tenant")
                .resource(new GenericKubernetesResourceBuilder()
                        .withApiVersion("example.com/v1")
                        .withKind("Widget")
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
    }

    @Test
    void aResourceNoCrdServesIsNotFoundAndNothingIsStored() throws Exception {
        String widget = "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w1\"}}";
        HttpResponse<String> created = send("POST", "/apis/example.com/v1/namespaces/tenant/widgets", widget, Map.of());

        assertThat(created.statusCode()).isEqualTo(404);
        assertThat(created.body())
                .contains("\"kind\":\"Status\"")
                .contains("\"reason\":\"NotFound\"")
                .contains(NOT_FOUND);
        assertThat(send("GET", "/apis/example.com/v1/namespaces/tenant/widgets", null, Map.of())
                        .statusCode())
                .isEqualTo(404);
        assertThat(send("GET", "/apis/example.com/v1", null, Map.of()).statusCode())
                .as("no discovery either")
                .isEqualTo(404);

        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .resource(widgetCrd())
                .create();

        assertThat(client.genericKubernetesResources(WIDGETS)
                        .inAnyNamespace()
                        .list()
                        .getItems())
                .as("nothing was stored")
                .isEmpty();
        createWidget("w2");
        assertThat(client.genericKubernetesResources(WIDGETS)
                        .inNamespace("tenant")
                        .withName("w2")
                        .get())
                .isNotNull();
        assertThat(send("GET", "/apis", null, Map.of()).body()).contains("\"example.com/v1\"");
        CustomResourceDefinition stored = client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("widgets.example.com")
                .get();
        assertThat(stored.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Established");
            assertThat(c.getStatus()).isEqualTo("True");
        });
    }

    @Test
    void deletingACrdStopsServingItsResourceAndItsObjectsGoWithIt() throws Exception {
        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .resource(widgetCrd())
                .create();
        createWidget("w1");

        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("widgets.example.com")
                .delete();

        assertThatThrownBy(() -> client.genericKubernetesResources(WIDGETS)
                        .inNamespace("tenant")
                        .list())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(404));
        assertThat(send("GET", "/apis", null, Map.of()).body()).doesNotContain("example.com");
        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .resource(widgetCrd())
                .create();
        assertThat(client.genericKubernetesResources(WIDGETS)
                        .inAnyNamespace()
                        .list()
                        .getItems())
                .isEmpty();
    }

    @Test
    void aCrdThatCannotBeServedIsRefusedAndServesNothing() {
        CustomResourceDefinition misnamed = new CustomResourceDefinitionBuilder(widgetCrd())
                .editMetadata()
                .withName("gadgets.example.com")
                .endMetadata()
                .build();

        assertThatThrownBy(() -> client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .resource(misnamed)
                        .create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("metadata.name: Invalid value: \"gadgets.example.com\"");
                });
        assertThatThrownBy(() -> client.genericKubernetesResources(WIDGETS)
                        .inNamespace("tenant")
                        .list())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(404));
    }

    @Test
    void anUnsupportedFieldSelectorIsABadRequestForListsWatchesAndDeletes() throws Exception {
        assertThatThrownBy(() -> client.pods()
                        .inAnyNamespace()
                        .withField("spec.containers", "x")
                        .list())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("field label not supported: spec.containers");
                });
        HttpResponse<String> watch =
                send("GET", "/api/v1/pods?watch=true&fieldSelector=spec.containers%3Dx", null, Map.of());
        assertThat(watch.statusCode()).as("refused before the watch starts").isEqualTo(400);
        assertThat(watch.body())
                .contains("\"reason\":\"BadRequest\"")
                .contains("field label not supported: spec.containers");
        assertThat(send("DELETE", "/api/v1/namespaces/tenant/pods?fieldSelector=spec.containers%3Dx", null, Map.of())
                        .statusCode())
                .isEqualTo(400);
        assertThat(client.nodes()
                        .withField("spec.unschedulable", "false")
                        .list()
                        .getItems())
                .isEmpty();
    }

    @Test
    void theComponentsRefusedRequestsAreRecordedForTheRunToReport() throws Exception {
        Map<String, String> component = Map.of(ApiHandler.CALLER_HEADER, ApiHandler.COMPONENT_CALLER);
        send("GET", "/api/v1/nodes?fieldSelector=metadata.namespace%3Da", null, component);
        send("GET", "/apis/example.com/v1/widgets", null, component);
        send("GET", "/api/v1/namespaces/tenant/pods/missing", null, component);

        assertThat(server.front().componentRefusals())
                .containsExactly(
                        "GET /api/v1/nodes?fieldSelector=metadata.namespace%3Da: 400 field label not supported: metadata.namespace",
                        "GET /apis/example.com/v1/widgets: 404 " + NOT_FOUND);
    }

    @Test
    void aVmiIsWrittenWholeAsKubeVirtsCrdHasNoStatusSubresource() throws Exception {
        ClusterCrds.install(client);
        String vmi =
                "{\"apiVersion\":\"kubevirt.io/v1\",\"kind\":\"VirtualMachineInstance\",\"metadata\":{\"name\":\"v\"},"
                        + "\"status\":{\"phase\":\"Pending\"}}";
        String path = "/apis/kubevirt.io/v1/namespaces/tenant/virtualmachineinstances";
        assertThat(send("POST", path, vmi, Map.of()).statusCode()).isEqualTo(201);

        assertThat(send("PUT", path + "/v/status", vmi, Map.of()).statusCode()).isEqualTo(404);
        assertThat(send("PUT", path + "/v", vmi.replace("Pending", "Running"), Map.of())
                        .body())
                .contains("\"phase\":\"Running\"");
        assertThat(send("GET", "/apis/kubevirt.io/v1alpha3/namespaces/tenant/virtualmachineinstances/v", null, Map.of())
                        .statusCode())
                .as("another served version reads the same object")
                .isEqualTo(200);
    }

    @Test
    void aPodsNodeIsSetOnlyByABindingOfAnUngatedPodAnEditOrPutOfSpecNodeNameIsInvalidWhileImagesAndGatesMayChange() {
        client.pods()
                .inNamespace("tenant")
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("web")
                        .endMetadata()
                        .withNewSpec()
                        .withContainers(new ContainerBuilder()
                                .withName("app")
                                .withImage("nginx")
                                .build())
                        .addNewSchedulingGate("example.com/wait")
                        .endSpec()
                        .build())
                .create();
        var web = client.pods().inNamespace("tenant").withName("web");

        assertThatThrownBy(() -> web.edit(pod -> new PodBuilder(pod)
                        .editSpec()
                        .withNodeName("worker-1")
                        .endSpec()
                        .build()))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
                    assertThat(e.getStatus().getMessage())
                            .startsWith("Pod \"web\" is invalid: spec: Forbidden: pod updates may not change fields "
                                    + "other than `spec.containers[*].image`");
                });
        Pod put = web.get();
        put.getSpec().setNodeName("worker-1");
        assertThatThrownBy(() -> client.resource(put).update())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(422));
        assertThat(web.get().getSpec().getNodeName()).isNull();

        assertThatThrownBy(() -> client.bindings()
                        .inNamespace("tenant")
                        .resource(TestCluster.binding("web", "worker-1"))
                        .create())
                .as("a gated pod cannot be bound")
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getMessage())
                            .isEqualTo("Operation cannot be fulfilled on pods/binding \"web\": pod web has non-empty"
                                    + " .spec.schedulingGates");
                });

        web.edit(pod -> new PodBuilder(pod)
                .editSpec()
                .withSchedulingGates()
                .editFirstContainer()
                .withImage("nginx:2")
                .endContainer()
                .endSpec()
                .build());
        client.bindings()
                .inNamespace("tenant")
                .resource(TestCluster.binding("web", "worker-1"))
                .create();
        assertThat(web.get().getSpec().getNodeName()).isEqualTo("worker-1");
    }

    @Test
    void theClusterStartsWithItsOwnNamespacesAndCreatesNothingInOneThatDoesNotExist() {
        assertThat(client.namespaces().list().getItems())
                .extracting(ns -> ns.getMetadata().getName())
                .contains("default", "kube-system", "kube-public", "kube-node-lease", "tenant");

        assertThatThrownBy(() -> client.configMaps()
                        .inNamespace("nowhere")
                        .resource(new ConfigMapBuilder()
                                .withNewMetadata()
                                .withName("settings")
                                .endMetadata()
                                .build())
                        .create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getStatus().getMessage()).isEqualTo("namespaces \"nowhere\" not found");
                });
        assertThatThrownBy(() -> client.namespaces().withName("kube-system").delete())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(403));
        assertThat(client.namespaces().withName("kube-system").get()).isNotNull();
    }
}
