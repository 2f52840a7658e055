package io.maroonedpods.kubevirt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VirtualMachineInstanceRoundTripTest {

    static String runningVmiJson() throws IOException {
        try (InputStream in = VirtualMachineInstanceRoundTripTest.class.getResourceAsStream("/running-vmi.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsTheFieldsWeUse() throws IOException {
        VirtualMachineInstance vmi = Serialization.unmarshal(runningVmiJson(), VirtualMachineInstance.class);

        assertThat(vmi.getMetadata().getName()).isEqualTo("maroon-5f1c3a9e-2b7d-4c1e-9a0f-3d2e1b4c5a6f");
        assertThat(vmi.getSpec().domain.cpu.cores).isEqualTo(2);
        assertThat(vmi.getSpec().domain.memory.guest).isEqualTo(new Quantity("2048Mi"));
        assertThat(vmi.getSpec().domain.firmware.uuid).isEqualTo("4b6d1f38-9c2e-4e7a-8f51-0a3c2d9e7b64");
        assertThat(vmi.getSpec().domain.firmware.kernelBoot.container.kernelPath)
                .isEqualTo("/boot/vmlinuz");
        assertThat(vmi.getSpec().domain.devices.interfaces.get(0).bridge).isNotNull();
        assertThat(vmi.getSpec().domain.devices.interfaces.get(0).masquerade).isNull();
        assertThat(vmi.getSpec().volumes.get(1).cloudInitNoCloud.secretRef.getName())
                .endsWith("-userdata");
        assertThat(vmi.getSpec().tolerations.get(0).getKey()).isEqualTo("virt");
        assertThat(vmi.phase()).isEqualTo(VmiPhase.RUNNING);
        assertThat(vmi.getStatus().nodeName).isEqualTo("worker-2");
        assertThat(vmi.getStatus().allIpAddresses()).containsExactly("10.42.3.17", "fd00:10:42:3::11");
        assertThat(vmi.getStatus().phaseTransitionTimestamps)
                .extracting(t -> t.phase)
                .containsExactly("Pending", "Scheduling", "Scheduled", "Running");
        assertThat(vmi.getStatus().conditions).extracting(c -> c.type).containsExactly("Ready", "LiveMigratable");
    }

    @Test
    void writesBackEveryFieldItRead() throws IOException {
        String original = runningVmiJson();
        VirtualMachineInstance vmi = Serialization.unmarshal(original, VirtualMachineInstance.class);

        JsonNode written = asWritten(vmi);

        assertThat(withoutNulls(written))
                .isEqualTo(withoutNulls(Serialization.jsonMapper().readTree(original)));
    }

    @Test
    void readModifyWriteChangesOnlyWhatWasModified() throws IOException {
        JsonNode original = Serialization.jsonMapper().readTree(runningVmiJson());
        VirtualMachineInstance vmi = Serialization.unmarshal(runningVmiJson(), VirtualMachineInstance.class);

        vmi.getSpec().domain.cpu.cores = 4;
        vmi.getMetadata().getLabels().put("team", "blue");
        JsonNode written = asWritten(vmi);

        assertThat(written.at("/spec/domain/cpu/cores").asInt()).isEqualTo(4);
        assertThat(written.at("/metadata/labels/team").asText()).isEqualTo("blue");
        assertThat(written.at("/spec/domain/cpu/maxSockets").asInt()).isEqualTo(4);
        assertThat(written.at("/spec/domain/machine/type").asText()).isEqualTo("q35");
        assertThat(written.at("/status/volumeStatus/0/containerDiskVolume/checksum")
                        .asLong())
                .isEqualTo(2648385218L);
        assertThat(written.at("/status/interfaces/0/linkState").asText()).isEqualTo("up");
        ObjectNode expected = (ObjectNode) withoutNulls(original);
        ((ObjectNode) expected.at("/spec/domain/cpu")).put("cores", 4);
        ((ObjectNode) expected.at("/metadata/labels")).put("team", "blue");
        assertThat(withoutNulls(written)).isEqualTo(expected);
    }

    @Test
    void aVmiBuiltInCodeSerializesToKubeVirtJson() throws IOException {
        VirtualMachineInstance vmi = new VirtualMachineInstance();
        vmi.getMetadata().setName("maroon-x");
        VmiSpec spec = new VmiSpec();
        spec.domain = new Domain();
        spec.domain.devices = new Domain.Devices();
        Domain.Interface iface = new Domain.Interface();
        iface.name = "default";
        iface.binding = new Domain.PluginBinding();
        iface.binding.name = "passt";
        spec.domain.devices.interfaces = java.util.List.of(iface);
        spec.networks = java.util.List.of(VmiSpec.Network.pod("default"));
        vmi.setSpec(spec);

        JsonNode json = asWritten(vmi);

        assertThat(json.get("apiVersion").asText()).isEqualTo("kubevirt.io/v1");
        assertThat(json.get("kind").asText()).isEqualTo("VirtualMachineInstance");
        assertThat(json.at("/spec/domain/devices/interfaces/0/binding/name").asText())
                .isEqualTo("passt");
        assertThat(json.at("/spec/networks/0/pod").isObject()).isTrue();
        assertThat(json.at("/spec/domain").has("cpu"))
                .as("unset fields are omitted, not null")
                .isFalse();
    }

    /** The JSON the client would send (re-read, so numbers compare by value, not by Java type). */
    static JsonNode asWritten(Object value) throws IOException {
        return Serialization.jsonMapper().readTree(Serialization.asJson(value));
    }

    /** Kubernetes treats an explicit null like an absent field; KubeVirt writes some (lastProbeTime), we omit them. */
    static JsonNode withoutNulls(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isNull()) {
                    fields.remove();
                } else {
                    strip(field.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(VirtualMachineInstanceRoundTripTest::strip);
        }
    }
}
