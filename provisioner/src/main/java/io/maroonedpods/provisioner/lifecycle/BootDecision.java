package io.maroonedpods.provisioner.lifecycle;

import io.maroonedpods.kubevirt.VmiPhase;
import io.maroonedpods.provisioner.node.NodeVerdict;
import java.time.Duration;
import java.time.Instant;

/**
 * What to do next for a maroon pod not yet bound to its node, decided from what was observed. Pure: no client, the
 * clock is an input.
 *
 * @param step  the next step
 * @param why   a sentence for Events and logs (never contains the token)
 * @param recheckIn when to look again if nothing else happens, or null
 */
public record BootDecision(Step step, String why, Duration recheckIn) {

    public enum Step {
        /** No VM yet (or it vanished): boot one. */
        CREATE_VMI,
        /** A previous boot failed; wait for the backoff. */
        WAIT_FOR_BACKOFF,
        /** The VM is booting or its node has not been verified yet. */
        WAIT_FOR_NODE,
        /** The node matches the VMI: set the restricted label. */
        VERIFY_NODE,
        /** A node named like ours does not match the VMI. */
        REJECT_NODE,
        /** The node is verified: nothing to do but remove the scheduling gate if still there. */
        READY,
        /** This boot failed: tear down, back off, try again. */
        RETRY,
        /** This boot failed and it was the last attempt. */
        GIVE_UP,
        /** Provisioning was given up earlier; the pod must be recreated. */
        GAVE_UP
    }

    /** Longest time between two looks at a booting VM, so that timeouts are noticed without an event. */
    static final Duration MAX_RECHECK = Duration.ofSeconds(15);

    /**
     * @param vm       the pod's VMI as observed, or null when absent
     * @param verdict  the verdict on node {@code maroon-<uid>}, or null when no such node exists
     * @param verified true when that node already carries our restricted label for this pod
     */
    public static BootDecision decide(
            BootRecord record,
            ObservedVm vm,
            NodeVerdict verdict,
            boolean verified,
            Instant now,
            int bootTimeoutSeconds,
            int maxBootAttempts) {
        if (record.gaveUp()) {
            return new BootDecision(Step.GAVE_UP, record.failure(), null);
        }
        if (vm == null) {
            if (record.nextBootAfter() != null && now.isBefore(record.nextBootAfter())) {
                return new BootDecision(
                        Step.WAIT_FOR_BACKOFF,
                        "retrying after " + record.nextBootAfter(),
                        Duration.between(now, record.nextBootAfter()));
            }
            if (record.attempts() >= maxBootAttempts) {
                return new BootDecision(Step.GIVE_UP, record.attempts() + " boot attempts used up", null);
            }
            return new BootDecision(
                    Step.CREATE_VMI, "boot attempt " + (record.attempts() + 1) + " of " + maxBootAttempts, null);
        }
        // A VM that failed goes through the retry even after its node was verified: the pod is not bound yet (a pod
        // bound to its node never gets here, LostVm decides for it), and a verified node of a dead VM runs nothing.
        if (VmiPhase.isFinal(vm.phase())) {
            return failed(
                    record,
                    maxBootAttempts,
                    "VMI " + vm.name() + " is " + vm.phase() + (vm.reason().isEmpty() ? "" : " (" + vm.reason() + ")")
                            + (verified ? " after its node was verified" : ""));
        }
        if (verified) {
            return new BootDecision(Step.READY, "node " + vm.name() + " is verified", null);
        }
        Duration elapsed = Duration.between(vm.bootStartedAt(), now);
        Duration timeout = Duration.ofSeconds(bootTimeoutSeconds);
        if (elapsed.compareTo(timeout) >= 0) {
            String seen = verdict == null
                    ? "no node registered"
                    : verdict.is(NodeVerdict.Outcome.REJECTED)
                            ? "node rejected: " + verdict.summary()
                            : "node not verifiable: " + verdict.summary();
            return failed(
                    record,
                    maxBootAttempts,
                    "no verified node within " + bootTimeoutSeconds + " s (VMI phase "
                            + (vm.phase().isEmpty() ? "unknown" : vm.phase()) + ", " + seen + ")");
        }
        Duration recheck = min(timeout.minus(elapsed), MAX_RECHECK);
        if (verdict == null) {
            return new BootDecision(
                    Step.WAIT_FOR_NODE,
                    "VMI " + vm.name() + " is " + (vm.phase().isEmpty() ? "pending" : vm.phase())
                            + ", waiting for its node",
                    recheck);
        }
        return switch (verdict.outcome()) {
            case VERIFIED -> new BootDecision(Step.VERIFY_NODE, "node " + vm.name() + " matches its VMI", null);
            case REJECTED -> new BootDecision(Step.REJECT_NODE, verdict.summary(), recheck);
            case WAITING -> new BootDecision(Step.WAIT_FOR_NODE, verdict.summary(), recheck);
        };
    }

    private static BootDecision failed(BootRecord record, int maxBootAttempts, String why) {
        Step step = record.attempts() >= maxBootAttempts ? Step.GIVE_UP : Step.RETRY;
        return new BootDecision(step, why, null);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
