package io.maroonedpods.provisioner.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PodLifeTest {
    static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");

    static Pod deleting(String nodeName, String phase) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .withDeletionTimestamp("2026-11-25T08:00:20Z")
                .endMetadata()
                .withNewSpec()
                .withNodeName(nodeName)
                .endSpec()
                .withNewStatus()
                .withPhase(phase)
                .endStatus()
                .build();
    }

    @Test
    void aPodStoppingOnItsNodeKeepsTheVmForItsGracePeriodPlusSlack() {
        assertThat(PodLife.gracefulWait(deleting("maroon-x", "Running"), "maroon-x", NOW))
                .isEqualTo(Duration.ofSeconds(50));
        assertThat(PodLife.gracefulWait(deleting("maroon-x", "Running"), "maroon-x", NOW.plusSeconds(60)))
                .isEqualTo(Duration.ZERO);
    }

    @Test
    void anUnboundOrFinishedPodIsTornDownAtOnce() {
        assertThat(PodLife.gracefulWait(deleting(null, "Pending"), "maroon-x", NOW))
                .isEqualTo(Duration.ZERO);
        assertThat(PodLife.gracefulWait(deleting("maroon-x", "Succeeded"), "maroon-x", NOW))
                .isEqualTo(Duration.ZERO);
        assertThat(PodLife.done(deleting(null, "Pending"))).isTrue();
        assertThat(PodLife.finished(deleting(null, "Failed"))).isTrue();
    }
}
