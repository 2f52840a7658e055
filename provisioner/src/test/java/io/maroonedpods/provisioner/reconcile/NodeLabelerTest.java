package io.maroonedpods.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.kubevirt.Domain;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.kubevirt.VmiSpec;
import io.maroonedpods.kubevirt.VmiStatus;
import io.maroonedpods.provisioner.node.NodeVerdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The label goes only onto the node version that was verified; a node that moved on is verified again first. */
@EnableKubernetesMockClient(crud = true)
class NodeLabelerTest {
    static final String UID = "5f1c3a9e-2b7d-4c1e-9a0f-3d2e1b4c5a6f";
    static final String NAME = Names.nodeName(UID);
    static final String FIRMWARE = "4b6d1f38-9c2e-4e7a-8f51-0a3c2d9e7b64";
    static final String VM_IP = "10.42.3.17";

    KubernetesClient client;

    @Test
    void theNodeAsTheInformerSawItIsLabelledWhenNothingChangedSince() {
        Node seen = client.nodes().resource(node(VM_IP)).create();

        NodeVerdict verdict = new NodeLabeler(client).verifyAndLabel(vmi(), seen, UID, Names.DEDICATED_TAINT);

        assertThat(verdict.is(NodeVerdict.Outcome.VERIFIED)).isTrue();
        assertThat(labelOnServer()).isEqualTo(UID);
        assertThat(seen.getMetadata().getLabels()).as("the informer's copy is not touched")
                .doesNotContainKey(Names.VERIFIED_POD_UID_LABEL);
    }

    @Test
    void aNodeThatMovedOnAfterTheInformerSawItIsVerifiedAgainAndLabelledIfItStillPasses() {
        Node seen = client.nodes().resource(node(VM_IP)).create();
        client.nodes().withName(NAME).edit(n -> new NodeBuilder(n).editMetadata().addToLabels("kubelet", "wrote")
                .endMetadata().build());

        NodeVerdict verdict = new NodeLabeler(client).verifyAndLabel(vmi(), seen, UID, Names.DEDICATED_TAINT);

        assertThat(verdict.is(NodeVerdict.Outcome.VERIFIED)).isTrue();
        assertThat(labelOnServer()).isEqualTo(UID);
        assertThat(client.nodes().withName(NAME).get().getMetadata().getLabels()).containsEntry("kubelet", "wrote");
    }

    @Test
    void aNodeWhoseAddressChangedAfterTheInformerSawItIsNotLabelled() {
        Node seen = client.nodes().resource(node(VM_IP)).create();
        client.nodes().resource(new NodeBuilder(node("10.99.0.1")).editMetadata()
                .withResourceVersion(seen.getMetadata().getResourceVersion()).endMetadata().build()).update();

        NodeVerdict verdict = new NodeLabeler(client).verifyAndLabel(vmi(), seen, UID, Names.DEDICATED_TAINT);

        assertThat(verdict.is(NodeVerdict.Outcome.VERIFIED)).isFalse();
        assertThat(labelOnServer()).isNull();
    }

    private String labelOnServer() {
        return client.nodes().withName(NAME).get().getMetadata().getLabels().get(Names.VERIFIED_POD_UID_LABEL);
    }

    static VirtualMachineInstance vmi() {
        VirtualMachineInstance vmi = new VirtualMachineInstance();
        vmi.getMetadata().setName(NAME);
        vmi.setSpec(new VmiSpec());
        vmi.getSpec().domain = new Domain();
        vmi.getSpec().domain.firmware = new Domain.Firmware();
        vmi.getSpec().domain.firmware.uuid = FIRMWARE;
        vmi.setStatus(new VmiStatus());
        VmiStatus.InterfaceStatus iface = new VmiStatus.InterfaceStatus();
        iface.ipAddresses = List.of(VM_IP);
        vmi.getStatus().interfaces = List.of(iface);
        return vmi;
    }

    static Node node(String ip) {
        return new NodeBuilder().withNewMetadata().withName(NAME).withLabels(Map.of(Names.NODE_POD_UID_LABEL, UID))
                .endMetadata()
                .withNewSpec().addNewTaint().withKey(Names.DEDICATED_TAINT).withValue(UID).withEffect("NoSchedule")
                .endTaint().endSpec()
                .withNewStatus().withNewNodeInfo().withSystemUUID(FIRMWARE).endNodeInfo()
                .addNewAddress().withType("InternalIP").withAddress(ip).endAddress().endStatus()
                .build();
    }
}
