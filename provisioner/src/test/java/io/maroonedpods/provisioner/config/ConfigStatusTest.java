package io.maroonedpods.provisioner.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.maroonedpods.api.config.MaroonedPodsConfigStatus;
import io.maroonedpods.provisioner.events.Reason;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConfigStatusTest {
    static final Instant T1 = Instant.parse("2026-11-25T08:00:00Z");
    static final Instant T2 = Instant.parse("2026-11-25T08:05:00Z");

    @Test
    void readyWhenThereIsNoProblemWithTheObservedGeneration() {
        MaroonedPodsConfigStatus status = ConfigStatus.desired(4L, null, null, null, T1);

        assertThat(status.observedGeneration()).isEqualTo(4L);
        assertThat(status.conditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getLastTransitionTime()).isEqualTo(T1.toString());
        });
    }

    @Test
    void theTransitionTimeMovesOnlyWhenTheConditionChanges() {
        MaroonedPodsConfigStatus first = ConfigStatus.desired(1L, Reason.ConfigInvalid, "spec.x: bad", null, T1);
        MaroonedPodsConfigStatus same = ConfigStatus.desired(2L, Reason.ConfigInvalid, "spec.x: still bad", first, T2);
        MaroonedPodsConfigStatus fixed = ConfigStatus.desired(3L, null, null, same, T2);

        assertThat(same.conditions().get(0).getLastTransitionTime()).isEqualTo(T1.toString());
        assertThat(same.conditions().get(0).getReason()).isEqualTo("InvalidConfig");
        assertThat(fixed.conditions().get(0).getLastTransitionTime()).isEqualTo(T2.toString());
        assertThat(ConfigStatus.desired(
                                1L,
                                Reason.JoinTokenRefused,
                                "Secret a/b key token holds the k3s server token",
                                null,
                                T1)
                        .conditions()
                        .get(0)
                        .getReason())
                .isEqualTo("JoinTokenRefused");
    }
}
