package io.maroonedpods.provisioner.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import io.maroonedpods.api.Names;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The label patch applied as an API server applies a JSON patch: it goes through on the node as verified and on
 * changes the verification did not read, and fails (the API server's 422) on a change to anything it did read.
 */
class VerifiedLabelPatchTest {
    static final KubernetesSerialization JSON = new KubernetesSerialization();
    static final String UID = NodeVerificationTest.UID;

    static Node verified() {
        return NodeVerificationTest.node(NodeVerificationTest.NAME, "10.42.3.17", NodeVerificationTest.FIRMWARE)
                .editMetadata()
                .withUid("node-uid-1")
                .withResourceVersion("41")
                .endMetadata()
                .build();
    }

    /** The patch made for the verified node, applied to the node as it is on the server now. */
    static JsonNode applied(Node verified, UnaryOperator<NodeBuilder> since) {
        JsonNode patch = VerifiedLabelPatch.of(verified, UID, NodeVerificationTest.TAINT, JSON);
        return JsonPatch.apply(
                patch, JSON.convertValue(since.apply(new NodeBuilder(verified)).build(), JsonNode.class));
    }

    static void refused(UnaryOperator<NodeBuilder> since) {
        assertThatThrownBy(() -> applied(verified(), since)).isInstanceOf(JsonPatchException.class);
    }

    @Test
    void theNodeAsVerifiedGetsTheLabel() {
        JsonNode labelled = applied(verified(), n -> n);
        assertThat(labelled.at("/metadata/labels")
                        .get(Names.VERIFIED_POD_UID_LABEL)
                        .asText())
                .isEqualTo(UID);
        assertThat(labelled.at("/metadata/labels").get(Names.POD_UID_LABEL).asText())
                .isEqualTo(UID);
    }

    @Test
    void theKubeletsStatusWritesAndNewVersionsDoNotSpoilIt() {
        JsonNode labelled = applied(
                verified(),
                n -> n.editMetadata()
                        .withResourceVersion("42")
                        .addToLabels("k3s", "x")
                        .endMetadata()
                        .editStatus()
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .endCondition()
                        .endStatus()
                        .editSpec()
                        .addNewTaint()
                        .withKey("node.kubernetes.io/not-ready")
                        .withEffect("NoSchedule")
                        .endTaint()
                        .endSpec());
        assertThat(labelled.at("/metadata/labels")
                        .get(Names.VERIFIED_POD_UID_LABEL)
                        .asText())
                .isEqualTo(UID);
    }

    @Test
    void aChangeToAnythingVerifiedMakesItFail() {
        refused(n -> n.editMetadata().withUid("node-uid-2").endMetadata()); // deleted and registered again
        refused(n ->
                n.editMetadata().addToLabels(Names.POD_UID_LABEL, "another-pod").endMetadata());
        refused(n -> n.editSpec().withTaints().endSpec());
        refused(n -> n.editStatus()
                .editFirstAddress()
                .withAddress("10.99.0.1")
                .endAddress()
                .endStatus());
        refused(n -> n.editStatus()
                .editNodeInfo()
                .withSystemUUID("00000000-0000-0000-0000-000000000000")
                .endNodeInfo()
                .endStatus());
    }

    @Test
    void withoutASelfLabelAnyNewVersionMakesItFail() {
        Node unlabelled = new NodeBuilder(verified())
                .editMetadata()
                .withLabels(null)
                .endMetadata()
                .build();

        JsonNode labelled = applied(unlabelled, n -> n);
        assertThat(labelled.at("/metadata/labels")
                        .get(Names.VERIFIED_POD_UID_LABEL)
                        .asText())
                .isEqualTo(UID);
        assertThatThrownBy(() -> applied(
                        unlabelled,
                        n -> n.editMetadata().withResourceVersion("42").endMetadata()))
                .isInstanceOf(JsonPatchException.class);
    }
}
