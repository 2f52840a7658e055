package io.maroonedpods.provisioner.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.Test;

class NodeReadinessTest {
    static NodeBuilder node(String ready) {
        return new NodeBuilder().withNewMetadata().withName("maroon-x").endMetadata().withNewSpec().endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready).endCondition().endStatus();
    }

    @Test
    void aReadyUntaintedNodeAcceptsPods() {
        assertThat(NodeReadiness.acceptsPods(node("True").build())).isTrue();
    }

    @Test
    void aNodeThatIsNotReadyYetDoesNot() {
        assertThat(NodeReadiness.acceptsPods(node("False").build())).isFalse();
        assertThat(NodeReadiness.acceptsPods(new NodeBuilder().withNewSpec().endSpec().withNewStatus().endStatus()
                .build())).isFalse();
        assertThat(NodeReadiness.acceptsPods(null)).isFalse();
    }

    @Test
    void theKubeletsNotReadyTaintOrACordonKeepsPodsOut() {
        Node tainted = node("True").editSpec().addNewTaint().withKey("node.kubernetes.io/not-ready")
                .withEffect("NoSchedule").endTaint().endSpec().build();
        Node cordoned = node("True").editSpec().withUnschedulable(true).endSpec().build();
        assertThat(NodeReadiness.acceptsPods(tainted)).isFalse();
        assertThat(NodeReadiness.acceptsPods(cordoned)).isFalse();
    }
}
