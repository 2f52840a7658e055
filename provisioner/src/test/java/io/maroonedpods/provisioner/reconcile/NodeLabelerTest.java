package io.maroonedpods.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.join.JoinCredentials;
import io.maroonedpods.provisioner.node.NodeVerdict;
import io.maroonedpods.provisioner.node.NodeVerificationTest;
import io.maroonedpods.testcluster.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The label goes only onto the node version that was verified; a node that moved on is verified again first (the API
 * server refuses the label's patch when its test operations no longer hold, 422).
 */
class NodeLabelerTest {
    static final String UID = NodeVerificationTest.UID;
    static final String NAME = NodeVerificationTest.NAME;
    static final String VM_IP = "10.42.3.17";

    final TestCluster cluster = TestCluster.start();
    final KubernetesClient client = cluster.client();

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void theNodeAsTheInformerSawItIsLabelledWhenNothingChangedSince() {
        Node seen = client.nodes().resource(node(VM_IP)).create();

        NodeVerdict verdict = new NodeLabeler(client, new JoinCredentials(client))
                .verifyAndLabel(vmi(), seen, UID, Names.DEDICATED_TAINT);

        assertThat(verdict.is(NodeVerdict.Outcome.VERIFIED)).isTrue();
        assertThat(labelOnServer()).isEqualTo(UID);
        assertThat(seen.getMetadata().getLabels())
                .as("the informer's copy is not touched")
                .doesNotContainKey(Names.VERIFIED_POD_UID_LABEL);
    }

    @Test
    void aNodeThatMovedOnAfterTheInformerSawItIsVerifiedAgainAndLabelledIfItStillPasses() {
        Node seen = client.nodes().resource(node(VM_IP)).create();
        client.nodes()
                .withName(NAME)
                .edit(n -> new NodeBuilder(n)
                        .editMetadata()
                        .addToLabels("kubelet", "wrote")
                        .endMetadata()
                        .build());

        NodeVerdict verdict = new NodeLabeler(client, new JoinCredentials(client))
                .verifyAndLabel(vmi(), seen, UID, Names.DEDICATED_TAINT);

        assertThat(verdict.is(NodeVerdict.Outcome.VERIFIED)).isTrue();
        assertThat(labelOnServer()).isEqualTo(UID);
        assertThat(client.nodes().withName(NAME).get().getMetadata().getLabels())
                .containsEntry("kubelet", "wrote");
    }

    @Test
    void theKubeletsStatusWriteAfterTheInformerSawTheNodeCostsNoSecondWrite() {
        Node seen = client.nodes().resource(node(VM_IP)).create();
        client.nodes()
                .withName(NAME)
                .editStatus(n -> new NodeBuilder(n)
                        .editStatus()
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .endCondition()
                        .endStatus()
                        .build());
        int before = cluster.requestCount();

        NodeVerdict verdict = new NodeLabeler(client, new JoinCredentials(client))
                .verifyAndLabel(vmi(), seen, UID, Names.DEDICATED_TAINT);

        assertThat(cluster.requestCount() - before).as("one patch, no re-read").isEqualTo(1);
        assertThat(verdict.is(NodeVerdict.Outcome.VERIFIED)).isTrue();
        assertThat(labelOnServer()).isEqualTo(UID);
        assertThat(client.nodes().withName(NAME).get().getStatus().getConditions())
                .as("the kubelet's write stays")
                .singleElement()
                .satisfies(c -> assertThat(c.getType()).isEqualTo("Ready"));
    }

    @Test
    void aNodeThatLostItsDedicatedTaintAfterTheInformerSawItIsNotLabelled() {
        Node seen = client.nodes().resource(node(VM_IP)).create();
        client.nodes()
                .withName(NAME)
                .edit(n -> new NodeBuilder(n).editSpec().withTaints().endSpec().build());

        NodeVerdict verdict = new NodeLabeler(client, new JoinCredentials(client))
                .verifyAndLabel(vmi(), seen, UID, Names.DEDICATED_TAINT);

        assertThat(verdict.is(NodeVerdict.Outcome.REJECTED)).isTrue();
        assertThat(labelOnServer()).isNull();
    }

    @Test
    void aNodeWhoseAddressChangedAfterTheInformerSawItIsNotLabelled() {
        Node seen = client.nodes().resource(node(VM_IP)).create();
        client.nodes()
                .resource(new NodeBuilder(node("10.99.0.1"))
                        .editMetadata()
                        .withResourceVersion(seen.getMetadata().getResourceVersion())
                        .endMetadata()
                        .build())
                .updateStatus(); // the kubelet's write: addresses are status

        NodeVerdict verdict = new NodeLabeler(client, new JoinCredentials(client))
                .verifyAndLabel(vmi(), seen, UID, Names.DEDICATED_TAINT);

        assertThat(verdict.is(NodeVerdict.Outcome.VERIFIED)).isFalse();
        assertThat(labelOnServer()).isNull();
    }

    private String labelOnServer() {
        return client.nodes().withName(NAME).get().getMetadata().getLabels().get(Names.VERIFIED_POD_UID_LABEL);
    }

    static VirtualMachineInstance vmi() {
        return NodeVerificationTest.vmi(VM_IP);
    }

    static Node node(String ip) {
        return NodeVerificationTest.node(NAME, ip, NodeVerificationTest.FIRMWARE)
                .build();
    }
}
