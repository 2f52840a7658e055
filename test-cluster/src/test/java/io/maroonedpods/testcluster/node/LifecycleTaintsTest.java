package io.maroonedpods.testcluster.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleTaintsTest {
    private static final Taint DEDICATED = new Taint("NoSchedule", "maroonedpods.io/dedicated", null, "uid");
    private static final Taint NO_SCHEDULE = new Taint("NoSchedule", LifecycleTaints.NOT_READY, null, null);
    private static final Taint NO_EXECUTE = new Taint("NoExecute", LifecycleTaints.NOT_READY, null, null);

    private static Node node(boolean ready, Taint... taints) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName("n")
                .endMetadata()
                .withNewSpec()
                .withTaints(taints)
                .endSpec()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .endCondition()
                .endStatus()
                .build();
    }

    @Test
    void aNotReadyNodeGetsTheNoScheduleTaintOnItsFirstEventAndTheNoExecuteOneOnTheNextPass() {
        Node registered = node(false, DEDICATED);
        assertThat(LifecycleTaints.onEvent(registered)).containsExactly(DEDICATED, NO_SCHEDULE);
        assertThat(LifecycleTaints.onPass(node(false, DEDICATED, NO_SCHEDULE)))
                .containsExactly(DEDICATED, NO_SCHEDULE, NO_EXECUTE);
    }

    @Test
    void aNodeTurningReadyLosesTheNoScheduleTaintAtOnceButKeepsTheNoExecuteOneUntilThePass() {
        Node ready = node(true, DEDICATED, NO_SCHEDULE, NO_EXECUTE);
        List<Taint> afterEvent = LifecycleTaints.onEvent(ready);
        assertThat(afterEvent).containsExactly(DEDICATED, NO_EXECUTE);
        assertThat(LifecycleTaints.onPass(node(true, afterEvent.toArray(Taint[]::new))))
                .containsExactly(DEDICATED);
    }

    @Test
    void nothingChangesOnANodeWhoseTaintsAlreadyMatch() {
        Node ready = node(true, DEDICATED);
        assertThat(LifecycleTaints.onEvent(ready)).isSameAs(ready.getSpec().getTaints());
        assertThat(LifecycleTaints.onPass(ready)).isSameAs(ready.getSpec().getTaints());
    }
}
