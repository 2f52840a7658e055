package io.maroonedpods.provisioner.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.maroonedpods.provisioner.lifecycle.BootDecision.Step;
import io.maroonedpods.provisioner.node.NodeVerdict;
import io.maroonedpods.provisioner.node.NodeVerdict.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootDecisionTest {
    static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
    static final BootRecord FRESH = new BootRecord(0, null, null);
    static final BootRecord ONE = new BootRecord(1, null, null);

    static ObservedVm vm(String phase, Duration age) {
        return new ObservedVm("maroon-x", phase, "", NOW.minus(age), 1);
    }

    static BootDecision decide(BootRecord record, ObservedVm vm, NodeVerdict verdict, boolean verified) {
        return BootDecision.decide(record, vm, verdict, verified, NOW, 300, 3);
    }

    @Test
    void withoutAVmOneIsBooted() {
        assertThat(decide(FRESH, null, null, false).step()).isEqualTo(Step.CREATE_VMI);
        assertThat(decide(FRESH, null, null, false).why()).isEqualTo("boot attempt 1 of 3");
    }

    @Test
    void duringBackoffNothingIsBootedAndTheWaitIsTheRestOfIt() {
        BootDecision decision = decide(new BootRecord(1, NOW.plusSeconds(7), null), null, null, false);

        assertThat(decision.step()).isEqualTo(Step.WAIT_FOR_BACKOFF);
        assertThat(decision.recheckIn()).isEqualTo(Duration.ofSeconds(7));
        assertThat(decide(new BootRecord(1, NOW.minusSeconds(1), null), null, null, false)
                        .step())
                .isEqualTo(Step.CREATE_VMI);
    }

    @Test
    void aBootingVmIsWaitedForAndLookedAtAgainBeforeItsTimeout() {
        BootDecision decision = decide(ONE, vm("Scheduled", Duration.ofSeconds(295)), null, false);

        assertThat(decision.step()).isEqualTo(Step.WAIT_FOR_NODE);
        assertThat(decision.recheckIn()).isEqualTo(Duration.ofSeconds(5));
        assertThat(decide(ONE, vm("", Duration.ZERO), null, false).recheckIn()).isEqualTo(BootDecision.MAX_RECHECK);
    }

    @Test
    void aMatchingNodeIsVerifiedAndAForgedOneRejected() {
        assertThat(decide(ONE, vm("Running", Duration.ofSeconds(20)), NodeVerdict.verified(), false)
                        .step())
                .isEqualTo(Step.VERIFY_NODE);
        assertThat(decide(
                                ONE,
                                vm("Running", Duration.ofSeconds(20)),
                                new NodeVerdict(Outcome.REJECTED, List.of("bad ip")),
                                false)
                        .step())
                .isEqualTo(Step.REJECT_NODE);
        assertThat(decide(ONE, vm("Running", Duration.ofSeconds(20)), null, true)
                        .step())
                .isEqualTo(Step.READY);
    }

    @Test
    void aFailedVmOrATimeoutIsRetriedUntilTheLastAttempt() {
        BootDecision failed = decide(ONE, vm("Failed", Duration.ofSeconds(20)), null, false);
        assertThat(failed.step()).isEqualTo(Step.RETRY);
        assertThat(failed.why()).isEqualTo("VMI maroon-x is Failed");

        BootDecision timedOut = decide(
                ONE,
                vm("Running", Duration.ofSeconds(300)),
                new NodeVerdict(Outcome.REJECTED, List.of("node InternalIP 1.2.3.4 is not ours")),
                false);
        assertThat(timedOut.step()).isEqualTo(Step.RETRY);
        assertThat(timedOut.why())
                .isEqualTo("no verified node within 300 s (VMI phase Running, node rejected: "
                        + "node InternalIP 1.2.3.4 is not ours)");

        assertThat(decide(new BootRecord(3, null, null), vm("Failed", Duration.ZERO), null, false)
                        .step())
                .isEqualTo(Step.GIVE_UP);
        assertThat(decide(new BootRecord(3, null, null), null, null, false).step())
                .isEqualTo(Step.GIVE_UP);
    }

    @Test
    void aVmThatFailsAfterItsNodeWasVerifiedGoesThroughTheBoundedRetry() {
        BootDecision failed = decide(ONE, vm("Failed", Duration.ofSeconds(60)), NodeVerdict.verified(), true);
        assertThat(failed.step()).isEqualTo(Step.RETRY);
        assertThat(failed.why()).isEqualTo("VMI maroon-x is Failed after its node was verified");
        assertThat(decide(new BootRecord(3, null, null), vm("Succeeded", Duration.ofSeconds(60)), null, true)
                        .step())
                .isEqualTo(Step.GIVE_UP);
    }

    @Test
    void aPodThatWasGivenUpOnStaysGivenUp() {
        assertThat(decide(new BootRecord(3, null, "VMI is Failed"), null, null, false)
                        .step())
                .isEqualTo(Step.GAVE_UP);
    }

    @Test
    void backoffDoublesUpToFiveMinutes() {
        assertThat(BootRecord.backoffAfter(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(BootRecord.backoffAfter(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(BootRecord.backoffAfter(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(BootRecord.backoffAfter(30)).isEqualTo(Duration.ofMinutes(5));
    }
}
