package io.maroonedpods.provisioner.pool;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Toleration;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.Tolerations;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.kubevirt.VmiPhase;
import io.maroonedpods.provisioner.lifecycle.ObservedVm;
import io.maroonedpods.provisioner.node.NodeReadiness;
import io.maroonedpods.provisioner.node.NodeVerdict;
import io.maroonedpods.provisioner.node.NodeVerification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One pool VM as the pool keeper sees it, classified by a pure function of its VMI and its node.
 *
 * @param why for FAILED and VERIFIED: a sentence for the log (never the token)
 */
public record PoolMember(String name, State state, Instant bootStartedAt, String why) {

    public enum State {
        /** Booting, or its node registered but cannot be verified yet or is not Ready. */
        BOOTING,
        /** Its node matches the VMI: mark it available. */
        VERIFIED,
        /** Marked available: a pod may claim it. */
        AVAILABLE,
        /** A pod claimed it: it is that pod's VM now and the pool never touches it again. */
        CLAIMED,
        /**
         * Failed, timed out, its node was rejected or vanished, or it held a stranger (even if claimed meanwhile):
         * delete it (the pool refills with a new name).
         */
        FAILED
    }

    /**
     * @param node the node named like the VMI, or null when none registered
     */
    public static PoolMember of(
            VirtualMachineInstance vmi, Node node, String dedicatedTaintKey, Instant now, int bootTimeoutSeconds) {
        ObservedVm observed = ObservedVm.of(vmi, now);
        String name = vmi.getMetadata().getName();
        if (PoolVm.heldStranger(vmi)) {
            return failed(name, observed, "its node held a pod that was not its own");
        }
        if (PoolVm.claimedBy(vmi) != null) {
            return new PoolMember(name, State.CLAIMED, observed.bootStartedAt(), null);
        }
        if (VmiPhase.isFinal(observed.phase())) {
            return failed(name, observed, "VMI is " + observed.phase());
        }
        NodeVerdict verdict = node == null ? null : NodeVerification.checkPool(node, vmi, dedicatedTaintKey);
        if (PoolVm.available(vmi)) {
            return verdict != null && verdict.is(NodeVerdict.Outcome.VERIFIED)
                    ? new PoolMember(name, State.AVAILABLE, observed.bootStartedAt(), null)
                    : failed(
                            name,
                            observed,
                            verdict == null ? "its node is gone" : "its node no longer matches: " + verdict.summary());
        }
        if (verdict != null
                && verdict.is(NodeVerdict.Outcome.VERIFIED)
                && NodeReadiness.acceptsPods(node, claimantTolerations(dedicatedTaintKey))) {
            // Only a Ready node is worth keeping: a claim then binds at once, with no kubelet start to wait for.
            return new PoolMember(name, State.VERIFIED, observed.bootStartedAt(), "node matches its VMI and is Ready");
        }
        if (verdict != null && verdict.is(NodeVerdict.Outcome.REJECTED)) {
            return failed(name, observed, "node rejected: " + verdict.summary());
        }
        if (!Duration.between(observed.bootStartedAt(), now)
                .minusSeconds(bootTimeoutSeconds)
                .isNegative()) {
            return failed(name, observed, "no verified node within " + bootTimeoutSeconds + " s");
        }
        return new PoolMember(name, State.BOOTING, observed.bootStartedAt(), null);
    }

    /**
     * What a claiming pod will tolerate on the node before the claim swaps the pool taint for its own: the defaults
     * every pod gets, and the pool taint.
     */
    private static List<Toleration> claimantTolerations(String dedicatedTaintKey) {
        List<Toleration> tolerations = new ArrayList<>(Tolerations.DEFAULT_NO_EXECUTE);
        tolerations.add(new Toleration("NoSchedule", dedicatedTaintKey, "Equal", null, Names.POOL_TAINT_VALUE));
        return tolerations;
    }

    private static PoolMember failed(String name, ObservedVm observed, String why) {
        return new PoolMember(name, State.FAILED, observed.bootStartedAt(), why);
    }

    /** Still a spare: booting towards availability, or available. */
    public boolean unclaimed() {
        return state == State.BOOTING || state == State.VERIFIED || state == State.AVAILABLE;
    }
}
