package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.events.Reason;
import io.maroonedpods.provisioner.lifecycle.BootDecision;
import io.maroonedpods.provisioner.lifecycle.BootRecord;
import io.maroonedpods.provisioner.lifecycle.LostVm;
import io.maroonedpods.provisioner.lifecycle.ObservedVm;
import io.maroonedpods.provisioner.lifecycle.PodLife;
import io.maroonedpods.provisioner.node.NodeReadiness;
import io.maroonedpods.provisioner.node.NodeVerdict;
import io.maroonedpods.provisioner.node.NodeVerification;
import io.maroonedpods.provisioner.pool.PoolVm;
import java.time.Duration;

/**
 * The pod controller's decisions, in one place: from what was observed of one pod ({@link PodObservation}) to the one
 * thing to do next ({@link PodAction}). This is the only place that decides a teardown. Pure: no client, the clock is
 * an input.
 */
final class PodPlan {
    static final Duration CONFIG_RECHECK = Duration.ofSeconds(30);
    private static final PodAction NOTHING = new PodAction.Nothing();

    private PodPlan() {}

    static PodAction plan(PodObservation seen) {
        Pod pod = seen.pod();
        boolean hasVm = seen.vmi() != null;
        if (seen.deleted()) {
            // Every pod's deletion comes here when all pods are watched: only ours concern us.
            if (!seen.optedIn() && !hasVm) {
                return NOTHING;
            }
            return seen.watchMayLoseLivePods()
                    ? new PodAction.ConfirmGone()
                    : new PodAction.TearDown("the pod was deleted", false, false);
        }
        if (!seen.optedIn()) {
            // The opt-in label was removed: a pod already on its node keeps it, any other loses its VM and our gate.
            return hasVm && !PodLife.boundToAMaroonNode(pod)
                    ? new PodAction.TearDown(
                            "the pod no longer opts in to a" + " dedicated VM (" + Names.OPT_IN_LABEL + " removed)",
                            false,
                            true)
                    : NOTHING;
        }
        if (PodLife.done(pod)) {
            return ending(seen);
        }
        if (!seen.config().usable()) {
            return new PodAction.Refuse(
                    Reason.ConfigInvalid, seen.config().problem() + "; no VM is created until it is fixed");
        }
        return seen.boundTo() != null
                ? bound(seen)
                : provisioning(seen, seen.config().config());
    }

    /**
     * Finished, or being deleted. A pod running on its node keeps its VM for its graceful termination. A pod bound to
     * its node keeps the node name locked until it is gone.
     */
    private static PodAction ending(PodObservation seen) {
        Pod pod = seen.pod();
        Duration grace = PodLife.gracefulWait(pod, seen.vmName(), seen.now());
        if (!grace.isZero()) {
            return new PodAction.Recheck(grace);
        }
        String cause = pod.getMetadata().getDeletionTimestamp() != null
                ? "the pod is being deleted"
                : "the pod is " + pod.getStatus().getPhase();
        return new PodAction.TearDown(cause, PodLife.boundToAMaroonNode(pod), false);
    }

    /**
     * A pod bound to a node: nothing to provision, ever again. Bound to its own VM's node, it is failed if that VM is
     * lost (it can run nowhere else, and the name is never given to another VM); a claimed warm-pool VM no longer in
     * the cache counts as its own. Bound anywhere else, it is not ours to act on (the isolation guard's, if anyone's).
     */
    private static PodAction bound(PodObservation seen) {
        String boundTo = seen.boundTo();
        boolean ownNode = boundTo.equals(seen.vmName());
        if (!ownNode && !(Names.isMaroonNodeName(boundTo) && !seen.boundNodeHasVmi())) {
            return new PodAction.NotOurs(boundTo);
        }
        String lost = LostVm.why(boundTo, ownNode ? seen.vmi() : null, ownNode ? seen.node() : null);
        return lost == null ? NOTHING : new PodAction.FailIfVmLost(boundTo);
    }

    /** Not bound yet: claim, queue, boot, verify, settle, retry or give up, as {@link BootDecision} says. */
    private static PodAction provisioning(PodObservation seen, EffectiveConfig config) {
        VirtualMachineInstance vmi = seen.vmi();
        Node node = seen.node();
        boolean pool = vmi != null && PoolVm.isPool(vmi);
        boolean verified = NodeVerification.isVerifiedFor(node, seen.uid());
        if (pool && !verified) {
            return new PodAction.FinishClaim(vmi);
        }
        NodeVerdict verdict = vmi != null && node != null && !pool
                ? NodeVerification.check(node, vmi, seen.uid(), config.dedicatedTaintKey())
                : null;
        ObservedVm observed = vmi == null ? null : ObservedVm.of(vmi, seen.now());
        BootRecord record = BootRecord.of(seen.pod()).atLeast(observed == null ? 0 : observed.attempt());
        BootDecision decision = BootDecision.decide(
                record, observed, verdict, verified, seen.now(), config.bootTimeoutSeconds(), config.maxBootAttempts());
        if (decision.step() == BootDecision.Step.WAIT_FOR_NODE
                && BootRecord.of(seen.pod()).attempts() < observed.attempt()) {
            return new PodAction.FinishBoot(vmi, observed.attempt());
        }
        return switch (decision.step()) {
            case CREATE_VMI ->
                seen.poolVmFits() || seen.slotFree()
                        ? new PodAction.ClaimOrBoot(record, node != null)
                        : new PodAction.Queue();
            case WAIT_FOR_BACKOFF, WAIT_FOR_NODE -> new PodAction.Recheck(decision.recheckIn());
            case VERIFY_NODE -> new PodAction.Verify(vmi, node);
            case REJECT_NODE -> new PodAction.Reject(node, decision.why(), decision.recheckIn());
            case READY -> settle(seen.pod(), node, config.dedicatedTaintKey());
            case RETRY -> new PodAction.Retry(record, decision.why());
            case GIVE_UP -> new PodAction.GiveUp(record, decision.why());
            case GAVE_UP -> NOTHING;
        };
    }

    /**
     * The pod's node is verified: the gate opens only once the node would also take the pod; until then the node's own
     * turn to Ready brings the pod back here. The boot record stays as it is: it counts every VM booted for the pod,
     * and keeping it costs no write.
     */
    static PodAction.Settle settle(Pod pod, Node node, String dedicatedTaintKey) {
        var tolerations = PodShape.withToleration(
                pod, PodShape.toleration(dedicatedTaintKey, pod.getMetadata().getUid()));
        return new PodAction.Settle(PodShape.gated(pod) && NodeReadiness.acceptsPods(node, tolerations));
    }
}
