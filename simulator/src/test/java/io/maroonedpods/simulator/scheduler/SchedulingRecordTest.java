package io.maroonedpods.simulator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchedulingRecordTest {
    @Test
    void messagesThatDifferOnlyInUidsCountsAndSecondsShareOneSampleEntry() {
        SchedulingRecord record = new SchedulingRecord();
        record.failedScheduling("0/3 nodes are available: 3 no verified dedicated node yet: no VMI "
                + "maroon-27b8db25-4968-47fc-ac5d-8e5ea368bca6 yet.");
        record.failedScheduling("0/4 nodes are available: 4 no verified dedicated node yet: no VMI "
                + "maroon-9a0c1e77-0b3d-4c1e-9f00-12ab34cd56ef yet.");
        record.failedScheduling("0/3 nodes are available: 3 no verified dedicated node yet: VMI phase Pending for 0s.");
        record.failedScheduling(
                "0/3 nodes are available: 3 no verified dedicated node yet: VMI phase Pending for 12s.");
        record.failedScheduling("0/3 nodes are available: 3 dedicated node, reserved for its maroon pod.");

        assertThat(record.failedSchedulingCount()).isEqualTo(5);
        assertThat(record.sample())
                .containsExactly(
                        "0/3 nodes are available: 3 no verified dedicated node yet: no VMI "
                                + "maroon-27b8db25-4968-47fc-ac5d-8e5ea368bca6 yet.",
                        "0/3 nodes are available: 3 no verified dedicated node yet: VMI phase Pending for 0s.",
                        "0/3 nodes are available: 3 dedicated node, reserved for its maroon pod.");
    }

    @Test
    void wordsMadeOfHexLettersAreKept() {
        assertThat(SchedulingRecord.shapeOf("dedicated face-off for 15s")).isEqualTo("dedicated face-off for #s");
    }
}
