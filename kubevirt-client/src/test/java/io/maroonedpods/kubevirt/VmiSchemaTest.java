package io.maroonedpods.kubevirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.maroonedpods.kubevirt.schema.VmiSchema;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our typed model writes VMIs that KubeVirt's real CRD schema accepts as they are, node LAN network included. */
class VmiSchemaTest {
    static VmiSchema schema;

    @BeforeAll
    static void loadSchema() {
        Optional<VmiSchema> loaded = VmiSchema.load();
        assumeTrue(loaded.isPresent(), VmiSchema.whereToPutIt());
        schema = loaded.get();
    }

    @Test
    void aRunningVmiAsKubeVirtWritesItPasses() throws IOException {
        VirtualMachineInstance vmi = Serialization.unmarshal(
                VirtualMachineInstanceRoundTripTest.runningVmiJson(), VirtualMachineInstance.class);

        assertThat(schema.problems(vmi)).isEmpty();
    }

    @Test
    void aVmiOnAMultusNetworkWithAFixedMacPasses() {
        VirtualMachineInstance vmi = nodeLanVmi();

        assertThat(schema.problems(vmi)).isEmpty();
        assertThat(Serialization.jsonMapper()
                        .valueToTree(vmi)
                        .at("/spec/networks/0/multus/networkName")
                        .asText())
                .isEqualTo("maroonedpods-nodes/node-lan");
    }

    @Test
    void theCheckRefusesWhatTheApiServerWouldDropOrRefuse() {
        VirtualMachineInstance misspelled = nodeLanVmi();
        misspelled.getSpec().networks.get(0).multus.setUnknownField("networkname", "x");
        VirtualMachineInstance withoutName = nodeLanVmi();
        withoutName.getSpec().networks.get(0).multus.networkName = null;
        VirtualMachineInstance wrongType = nodeLanVmi();
        wrongType.getSpec().domain.devices.interfaces.get(0).setUnknownField("pciAddress", 5);

        assertThat(schema.problems(misspelled))
                .containsExactly("spec.networks[0].multus.networkname: unknown field: the API server would drop it");
        assertThat(schema.problems(withoutName))
                .containsExactly("spec.networks[0].multus.networkName: required field missing");
        assertThat(schema.problems(wrongType))
                .containsExactly("spec.domain.devices.interfaces[0].pciAddress: must be of type string, got number");
    }

    static VirtualMachineInstance nodeLanVmi() {
        VirtualMachineInstance vmi = new VirtualMachineInstance();
        vmi.getMetadata().setName("maroon-x");
        VmiSpec spec = new VmiSpec();
        spec.domain = new Domain();
        spec.domain.devices = new Domain.Devices();
        Domain.Interface iface = new Domain.Interface();
        iface.name = "node-lan";
        iface.bridge = new Domain.BindingMethod();
        iface.macAddress = "02:5f:1c:3a:9e:2b";
        spec.domain.devices.interfaces = List.of(iface);
        spec.networks = List.of(VmiSpec.Network.multus("node-lan", "maroonedpods-nodes/node-lan"));
        vmi.setSpec(spec);
        return vmi;
    }
}
