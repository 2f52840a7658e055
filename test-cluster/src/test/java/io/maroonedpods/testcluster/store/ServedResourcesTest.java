package io.maroonedpods.testcluster.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maroonedpods.testcluster.store.ServedResources.Resource;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the simulated API server serves: built-ins, CRDs created in it, and refusals in kube-apiserver's words. */
class ServedResourcesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A CRD as KubeVirt's serves VMIs: two served versions, v1 stored, namespaced, no status subresource. */
    static final String VMI_CRD =
            "{'metadata':{'name':'virtualmachineinstances.kubevirt.io'},'spec':{'group':'kubevirt.io',"
                    + "'scope':'Namespaced','names':{'plural':'virtualmachineinstances','kind':'VirtualMachineInstance',"
                    + "'shortNames':['vmi','vmis']},'versions':[{'name':'v1','served':true,'storage':true},"
                    + "{'name':'v1alpha3','served':true,'storage':false},{'name':'v1alpha2','served':false,'storage':false}]}}";

    private static void refused(ServedResources served, String path, String method, int code, String message) {
        assertThatThrownBy(() -> served.resolve(ResourcePath.parse(path), method, false))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessage(message);
    }

    private static void notFound(ServedResources served, String path, String method) {
        refused(served, path, method, 404, "the server could not find the requested resource");
    }

    private static void notAllowed(ServedResources served, String path, String method) {
        refused(served, path, method, 405, "the server does not allow this method on the requested resource");
    }

    @Test
    void aResourceNobodyDefinedIsNotFoundAsKubeApiserverSaysIt() {
        ServedResources served = ServedResources.builtIns();
        notFound(served, "/apis/example.com/v1/namespaces/a/widgets", "POST");
        notFound(served, "/apis/kubevirt.io/v1/namespaces/a/virtualmachineinstances", "GET");
        notFound(served, "/api/v1/namespaces/a/widgets", "GET");
        notFound(served, "/apis/apps/v1/namespaces/a/deployments", "GET");
    }

    @Test
    void scopeSubresourcesAndVerbsAreRefusedAsKubeApiserverRefusesThem() {
        ServedResources served = ServedResources.builtIns();
        notFound(served, "/api/v1/namespaces/a/nodes", "GET");
        notFound(served, "/api/v1/pods/p", "GET");
        notFound(served, "/api/v1/namespaces/a/secrets/s/status", "GET");
        notFound(served, "/api/v1/namespaces/a/pods/p/exec", "POST");
        notAllowed(served, "/api/v1/pods", "POST");
        notAllowed(served, "/api/v1/pods", "DELETE");
        notAllowed(served, "/api/v1/namespaces/a/bindings", "GET");
        notAllowed(served, "/api/v1/namespaces/a/pods/p/binding", "GET");
        assertThat(served.resolve(ResourcePath.parse("/api/v1/pods"), "GET", true)
                        .kind())
                .isEqualTo("Pod");
        assertThat(served.resolve(ResourcePath.parse("/api/v1/namespaces/a/pods/p/binding"), "POST", false)
                        .plural())
                .isEqualTo("pods");
        assertThat(served.resolve(ResourcePath.parse("/api/v1/nodes/n/status"), "PATCH", false)
                        .kind())
                .isEqualTo("Node");
    }

    @Test
    void aCrdServesEachServedVersionFromOneStoreWithItsScopeAndSubresources() {
        ServedResources served = ServedResources.builtIns();
        served.define("virtualmachineinstances.kubevirt.io", CustomResourceDefinitions.served(json(VMI_CRD)));

        Resource v1 = served.resolve(
                ResourcePath.parse("/apis/kubevirt.io/v1/namespaces/a/virtualmachineinstances"), "POST", false);
        Resource alpha =
                served.resolve(ResourcePath.parse("/apis/kubevirt.io/v1alpha3/virtualmachineinstances"), "GET", false);
        assertThat(v1.namespaced()).isTrue();
        assertThat(v1.shortNames()).containsExactly("vmi", "vmis");
        assertThat(alpha.storageKey())
                .as("every served version reads the storage version's objects")
                .isEqualTo(v1.storageKey());
        assertThat(v1.hasStatusSubresource()).isFalse();
        notFound(served, "/apis/kubevirt.io/v1/namespaces/a/virtualmachineinstances/x/status", "PUT");
        notFound(served, "/apis/kubevirt.io/v1alpha2/virtualmachineinstances", "GET");
        notFound(served, "/apis/kubevirt.io/v1/virtualmachineinstances/x", "GET");

        served.forget("virtualmachineinstances.kubevirt.io");
        notFound(served, "/apis/kubevirt.io/v1/namespaces/a/virtualmachineinstances", "GET");
    }

    @Test
    void customResourcesSelectByNameNamespaceAndTheirDeclaredSelectableFieldsOnly() {
        JsonNode crd =
                json("{'metadata':{'name':'widgets.example.com'},'spec':{'group':'example.com','scope':'Cluster',"
                        + "'names':{'plural':'widgets','kind':'Widget'},'versions':[{'name':'v1','served':true,'storage':true,"
                        + "'subresources':{'status':{}},'selectableFields':[{'jsonPath':'.spec.color'}]}]}}");
        Resource widgets = CustomResourceDefinitions.served(crd).getFirst();

        assertThat(widgets.hasStatusSubresource()).isTrue();
        assertThat(FieldSelector.parse("spec.color=red,metadata.name=w", widgets.fields())
                        .matches(json("{'metadata':{'name':'w'},'spec':{'color':'red'}}")))
                .isTrue();
        assertThatThrownBy(() -> FieldSelector.parse("spec.size=1", widgets.fields()))
                .hasMessage("field label not supported: spec.size");
        assertThatThrownBy(() -> FieldSelector.parse("metadata.namespace=a", widgets.fields()))
                .as("cluster-scoped")
                .hasMessage("field label not supported: metadata.namespace");
        Resource vmis = CustomResourceDefinitions.served(json(VMI_CRD)).getFirst();
        assertThat(vmis.fields().labels()).containsExactly("metadata.name", "metadata.namespace");
    }

    @Test
    void aCreatedCrdIsEstablishedWithItsNamesAccepted() {
        ObjectNode admitted = CustomResourceDefinitions.admitted(json(VMI_CRD), NOW);
        assertThat(admitted.path("status").path("conditions").findValuesAsText("type"))
                .containsExactly("NamesAccepted", "Established");
        assertThat(admitted.path("status").path("conditions").findValuesAsText("status"))
                .containsOnly("True");
        assertThat(admitted.path("status").path("acceptedNames").path("kind").asText())
                .isEqualTo("VirtualMachineInstance");
        assertThat(admitted.path("status").path("storedVersions").get(0).asText())
                .isEqualTo("v1");
    }

    @Test
    void aCrdThatCannotBeServedIsInvalidNamingTheField() {
        String prefix = "CustomResourceDefinition.apiextensions.k8s.io \"widgets.example.com\" is invalid: ";
        List.of(
                        List.of(
                                "{'metadata':{'name':'widgets.example.com'},'spec':{'group':'example.com','scope':'Cluster',"
                                        + "'names':{'plural':'gadgets','kind':'Gadget'},'versions':[{'name':'v1','served':true,'storage':true}]}}",
                                "metadata.name: Invalid value: \"widgets.example.com\": must be spec.names.plural+\".\"+spec.group"),
                        List.of(
                                "{'metadata':{'name':'widgets.example.com'},'spec':{'group':'example.com','scope':'Global',"
                                        + "'names':{'plural':'widgets','kind':'Widget'},'versions':[{'name':'v1','served':true,'storage':true}]}}",
                                "spec.scope: Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\""),
                        List.of(
                                "{'metadata':{'name':'widgets.example.com'},'spec':{'group':'example.com','scope':'Cluster',"
                                        + "'names':{'plural':'widgets','kind':'Widget'},'versions':[{'name':'v1','served':true,'storage':true},"
                                        + "{'name':'v2','served':true,'storage':true}]}}",
                                "spec.versions: Invalid value: 2 versions: must have exactly one version marked as storage version"),
                        List.of(
                                "{'metadata':{'name':'widgets.example.com'},'spec':{'group':'example.com','scope':'Cluster',"
                                        + "'names':{'plural':'widgets'},'versions':[{'name':'v1','served':true,'storage':true}]}}",
                                "spec.names.kind: Required value"))
                .forEach(c -> assertThatThrownBy(() -> CustomResourceDefinitions.admitted(json(c.get(0)), NOW))
                        .isInstanceOfSatisfying(
                                ApiException.class, e -> assertThat(e.code()).isEqualTo(422))
                        .hasMessage(prefix + c.get(1)));
        assertThatThrownBy(() -> CustomResourceDefinitions.admitted(
                        json(
                                "{'metadata':{'name':'widgets.example'},'spec':"
                                        + "{'group':'example','scope':'Cluster','names':{'plural':'widgets','kind':'Widget'},'versions':[]}}"),
                        NOW))
                .hasMessageContaining(
                        "spec.group: Invalid value: \"example\": should be a domain with at least one dot");
    }
}
