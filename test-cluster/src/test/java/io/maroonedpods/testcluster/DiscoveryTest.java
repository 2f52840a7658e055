package io.maroonedpods.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maroonedpods.testcluster.store.CustomResourceDefinitions;
import io.maroonedpods.testcluster.store.ServedResources;
import io.maroonedpods.testcluster.store.ServedResources.Resource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Discovery lists exactly what the server serves, as kube-apiserver's does. */
class DiscoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Resource> BUILT_INS = ServedResources.builtIns().all();

    private static List<Resource> withVmis() throws Exception {
        JsonNode crd = JSON.readTree(
                ("{'metadata':{'name':'virtualmachineinstances.kubevirt.io'},'spec':{'group':'kubevirt.io',"
                                + "'scope':'Namespaced','names':{'plural':'virtualmachineinstances','kind':'VirtualMachineInstance',"
                                + "'shortNames':['vmi']},'versions':[{'name':'v1alpha3','served':true,'storage':false},"
                                + "{'name':'v1','served':true,'storage':true}]}}")
                        .replace('\'', '"'));
        List<Resource> served = new ArrayList<>(BUILT_INS);
        served.addAll(CustomResourceDefinitions.served(crd));
        return served;
    }

    private static JsonNode at(String path, List<Resource> served) throws Exception {
        return JSON.readTree(Discovery.at(path, served).orElseThrow());
    }

    @Test
    void theCoreGroupListsItsResourcesWithTheSubresourcesTheServerAnswers() throws Exception {
        JsonNode core = at("/api/v1", BUILT_INS);
        assertThat(core.path("resources").findValuesAsText("name"))
                .contains(
                        "pods",
                        "pods/status",
                        "pods/binding",
                        "pods/eviction",
                        "bindings",
                        "nodes",
                        "nodes/status",
                        "namespaces",
                        "secrets",
                        "configmaps",
                        "events")
                .doesNotContain("services", "pods/exec", "secrets/status");
        assertThat(Discovery.at("/api/v1/pods", BUILT_INS))
                .as("not a discovery path")
                .isEmpty();
    }

    @Test
    void aCustomResourceIsDiscoverableOnlyWhileItsCrdServesIt() throws Exception {
        assertThat(at("/apis", BUILT_INS).path("groups").findValuesAsText("name"))
                .contains("events.k8s.io", "coordination.k8s.io", "apiextensions.k8s.io")
                .doesNotContain("kubevirt.io");
        assertThat(Discovery.at("/apis/kubevirt.io/v1", BUILT_INS)).isEmpty();

        List<Resource> served = withVmis();
        assertThat(at("/apis/kubevirt.io/v1", served)
                        .path("resources")
                        .get(0)
                        .path("shortNames")
                        .get(0)
                        .asText())
                .isEqualTo("vmi");
        assertThat(at("/apis/kubevirt.io/v1", served).path("resources").findValuesAsText("name"))
                .as("no status subresource")
                .containsExactly("virtualmachineinstances");
        assertThat(Discovery.at("/apis/kubevirt.io/v1alpha3", served)).isPresent();
        JsonNode kubevirt = findGroup(at("/apis", served), "kubevirt.io");
        assertThat(kubevirt.path("preferredVersion").path("version").asText()).isEqualTo("v1");
        assertThat(kubevirt.path("versions").findValuesAsText("version")).containsExactly("v1", "v1alpha3");
    }

    private static JsonNode findGroup(JsonNode list, String name) {
        for (JsonNode group : list.path("groups")) {
            if (group.path("name").asText().equals(name)) {
                return group;
            }
        }
        throw new AssertionError("no group " + name);
    }

    @Test
    void versionsRankAsKubernetesRanksThem() {
        List<String> versions =
                new ArrayList<>(List.of("v1alpha1", "v1beta1", "v2", "v1", "v1beta2", "v10alpha1", "foo"));
        versions.sort(Discovery::byPriority);
        assertThat(versions).containsExactly("v2", "v1", "v1beta2", "v1beta1", "v10alpha1", "v1alpha1", "foo");
    }
}
