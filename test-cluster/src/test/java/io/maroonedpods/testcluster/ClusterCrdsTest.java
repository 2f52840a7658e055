package io.maroonedpods.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.maroonedpods.testcluster.store.CustomResourceDefinitions;
import io.maroonedpods.testcluster.store.ServedResources.Resource;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CRDs the simulated cluster is installed with serve what the real ones serve. */
class ClusterCrdsTest {
    /** The e2e suite's assets directory (see e2e/README.md), which holds KubeVirt's own VMI CRD. */
    private static final String ASSETS = "MAROONEDPODS_K8S_ASSETS";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** What serving a CRD comes to: every served resource with its scope, names, subresources and field labels. */
    private static List<String> served(CustomResourceDefinition crd) {
        JsonNode tree = JSON.valueToTree(crd);
        return CustomResourceDefinitions.served(tree).stream()
                .map(ClusterCrdsTest::describe)
                .toList();
    }

    private static String describe(Resource r) {
        return r.groupVersion() + "/" + r.plural() + " kind=" + r.kind() + " namespaced=" + r.namespaced() + " short="
                + r.shortNames() + " subresources=" + r.subresources() + " storage=" + r.storageVersion()
                + " fields=" + r.fields().labels();
    }

    private static CustomResourceDefinition read(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return SERIALIZATION.unmarshal(in, CustomResourceDefinition.class);
        }
    }

    @Test
    void theConfigCrdIsTheOneTheManifestsInstall() throws Exception {
        CustomResourceDefinition installed = ClusterCrds.load(ClusterCrds.MAROONEDPODS_CONFIG);
        CustomResourceDefinition committed =
                read(Path.of("../manifests/base/crd/maroonedpodsconfigs.maroonedpods.io-v1.yml"));

        assertThat(installed).isEqualTo(committed);
        assertThat(served(installed))
                .singleElement()
                .asString()
                .startsWith("maroonedpods.io/v1alpha1/maroonedpodsconfigs kind=MaroonedPodsConfig namespaced=false")
                .contains("subresources=[Subresource[name=status");
    }

    @Test
    void theVmiCrdServesWhatKubevirtsOwnServes() throws Exception {
        String assets = System.getenv(ASSETS);
        assumeTrue(
                assets != null && !assets.isBlank(),
                ASSETS + " unset: KubeVirt's VMI CRD is not at hand to compare the simulator's with");
        CustomResourceDefinition kubevirts = read(Path.of(assets, "virtualmachineinstances.kubevirt.io.yaml"));

        assertThat(served(ClusterCrds.load(ClusterCrds.KUBEVIRT_VMI))).isEqualTo(served(kubevirts));
    }

    @Test
    void theVmiCrdHasNoStatusSubresourceAsKubevirtsHasNone() {
        assertThat(served(ClusterCrds.load(ClusterCrds.KUBEVIRT_VMI)))
                .containsExactly(
                        "kubevirt.io/v1/virtualmachineinstances kind=VirtualMachineInstance namespaced=true short=[vmi, vmis] "
                                + "subresources=[] storage=v1 fields=[metadata.name, metadata.namespace]",
                        "kubevirt.io/v1alpha3/virtualmachineinstances kind=VirtualMachineInstance namespaced=true short=[vmi, vmis] "
                                + "subresources=[] storage=v1 fields=[metadata.name, metadata.namespace]");
    }
}
