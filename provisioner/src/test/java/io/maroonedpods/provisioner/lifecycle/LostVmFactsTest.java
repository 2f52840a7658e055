package io.maroonedpods.provisioner.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.kubevirt.VmiPhase;
import io.maroonedpods.kubevirt.VmiStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LostVmFactsTest {
    static final Node NODE = new NodeBuilder()
            .withNewMetadata()
            .withName("maroon-x")
            .endMetadata()
            .build();

    static VirtualMachineInstance vmi(String phase) {
        VirtualMachineInstance vmi = new VirtualMachineInstance();
        vmi.setStatus(new VmiStatus());
        vmi.getStatus().phase = phase;
        vmi.getStatus().reason = VmiPhase.FAILED.equals(phase) ? "PodFailed" : null;
        return vmi;
    }

    @Test
    void aVmIsLostWhenItsVmiIsGoneOrFinishedOrItsNodeIsGone() {
        assertThat(LostVm.why("maroon-x", null, NODE)).isEqualTo("its VMI maroon-x is gone");
        assertThat(LostVm.why("maroon-x", vmi(VmiPhase.FAILED), NODE))
                .isEqualTo("its VMI maroon-x is Failed (PodFailed)");
        assertThat(LostVm.why("maroon-x", vmi(VmiPhase.RUNNING), null)).isEqualTo("its node maroon-x is gone");
        assertThat(LostVm.why("maroon-x", vmi(VmiPhase.RUNNING), NODE))
                .as("a NotReady node is not lost")
                .isNull();
    }

    @Test
    void aFailedPodSaysWhyAndCarriesTheDisruptionTargetConditionOnce() {
        Pod running = new PodBuilder()
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();
        Instant now = Instant.parse("2026-11-25T08:00:00.123Z");

        Pod failed = LostVm.failed(LostVm.failed(running, "gone", now), "gone", now);

        assertThat(failed.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(failed.getStatus().getReason()).isEqualTo("VmLost");
        assertThat(failed.getStatus().getMessage()).isEqualTo("gone");
        assertThat(failed.getStatus().getConditions())
                .extracting(c -> c.getType())
                .containsExactly("Ready", "DisruptionTarget");
        assertThat(failed.getStatus().getConditions().get(1).getLastTransitionTime())
                .isEqualTo("2026-11-25T08:00:00Z");
    }
}
