package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.OptIn;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.config.ConfigView;
import io.maroonedpods.provisioner.events.Reason;
import io.maroonedpods.provisioner.lifecycle.BootDecision;
import io.maroonedpods.provisioner.lifecycle.BootRecord;
import io.maroonedpods.provisioner.lifecycle.LostVm;
import io.maroonedpods.provisioner.lifecycle.ObservedVm;
import io.maroonedpods.provisioner.lifecycle.PodFacts;
import io.maroonedpods.provisioner.node.NodeVerdict;
import io.maroonedpods.provisioner.node.NodeVerification;
import io.maroonedpods.provisioner.pool.PoolVm;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod in, one verified VM node out. {@link #reconcile} reads as the flow of DESIGN.md: a finished or deleted pod
 * is torn down; otherwise tolerate, then decide ({@link BootDecision}, pure) and carry out that one step. Steps
 * return early and let the next event (VMI status, node registration) or a recheck continue.
 *
 * <p>Runs with {@code triggerReconcilerOnAllEvents}: a pod's deletion reaches {@code reconcile} with its last known
 * state, so teardown happens at once without putting a finalizer on user pods.
 */
public class MaroonPodReconciler implements Reconciler<Pod> {
    private static final Logger LOG = LoggerFactory.getLogger(MaroonPodReconciler.class);
    static final Duration CONFIG_RECHECK = Duration.ofSeconds(30);
    static final Duration VERIFY_RECHECK = Duration.ofSeconds(2);

    private final PodSteps steps;
    private Watches watches;

    public MaroonPodReconciler(PodSteps steps) {
        this.steps = steps;
    }

    @Override
    public List<EventSource<?, Pod>> prepareEventSources(EventSourceContext<Pod> context) {
        watches = new Watches(context, steps);
        steps.configs().follow(() -> watches.config());
        return watches.all();
    }

    @Override
    public UpdateControl<Pod> reconcile(Pod pod, Context<Pod> context) {
        String uid = pod.getMetadata().getUid();
        // The pod's VM: its own maroon-<uid>, or the warm-pool VM it claimed (same name as its node).
        String nodeName = watches.vmNameOf(uid);
        if (context.isPrimaryResourceDeleted()) {
            // Every pod's deletion comes here when all pods are watched: only ours cost a look at the API.
            if (OptIn.isMaroon(pod) || watches.vmi(nodeName).isPresent()) {
                steps.endings().podGone(pod);
            }
            return UpdateControl.noUpdate();
        }
        if (!OptIn.isMaroon(pod)) {
            if (watches.vmi(nodeName).isPresent()) {
                steps.endings().optedOut(pod); // the opt-in label was removed
            }
            return UpdateControl.noUpdate();
        }
        if (PodFacts.done(pod)) {
            Duration grace = PodFacts.gracefulWait(pod, nodeName, steps.clock().instant());
            if (!grace.isZero()) {
                return recheck(grace);
            }
            steps.endings().tearDown(pod, pod.getMetadata().getDeletionTimestamp() != null ? "the pod is being deleted"
                    : "the pod is " + pod.getStatus().getPhase());
            return UpdateControl.noUpdate();
        }
        ConfigView view = steps.configs().view();
        if (!view.usable()) {
            steps.events().publish(pod, Reason.ConfigInvalid, view.problem() + "; no VM is created until it is fixed");
            return recheck(CONFIG_RECHECK);
        }
        EffectiveConfig config = view.config();
        String boundTo = pod.getSpec().getNodeName();
        Optional<VirtualMachineInstance> vmi = watches.vmi(nodeName);
        Optional<Node> node = watches.node(nodeName);
        if (boundTo != null && !boundTo.isEmpty()) {
            return bound(pod, boundTo, nodeName, vmi.orElse(null), node.orElse(null));
        }
        Instant now = steps.clock().instant();
        boolean pool = vmi.isPresent() && PoolVm.isPool(vmi.get());
        if (pool && !NodeVerification.isVerifiedFor(node.orElse(null), uid)) {
            Duration next = steps.finishClaim(pod, config, vmi.get());
            return next.isZero() ? UpdateControl.noUpdate() : recheck(next);
        }
        NodeVerdict verdict = vmi.isPresent() && node.isPresent() && !pool
                ? NodeVerification.check(node.get(), vmi.get(), uid, config.dedicatedTaintKey()) : null;
        ObservedVm observed = vmi.map(v -> ObservedVm.of(v, now)).orElse(null);
        BootRecord record = BootRecord.of(pod).atLeast(observed == null ? 0 : observed.attempt());
        BootDecision decision = BootDecision.decide(record, observed, verdict,
                NodeVerification.isVerifiedFor(node.orElse(null), uid), now, config.bootTimeoutSeconds(),
                config.maxBootAttempts());
        LOG.debug("pod {}/{} ({}): {} — {}", namespace(pod), name(pod), uid, decision.step(), decision.why());

        return switch (decision.step()) {
            case CREATE_VMI -> {
                // A pod that must wait for a boot slot waits without reading anything from the API: in a burst,
                // hundreds of pods recheck their place every few seconds.
                List<VirtualMachineInstance> poolVmis = watches.unclaimedPoolVmis();
                if (!steps.mayClaim(pod, config, poolVmis) && !steps.slotFree(pod, config)) {
                    yield recheck(steps.queue(pod, config));
                }
                // Booting a VM is the one costly, irreversible step: decide it on the pod's record as it is now, not
                // as the informer last saw it (our own annotation write from a moment ago may not have arrived yet).
                Optional<Pod> fresh = steps.withLatestRecord(pod);
                if (fresh.isEmpty()) {
                    yield UpdateControl.noUpdate();
                }
                if (!BootRecord.of(fresh.get()).equals(BootRecord.of(pod))) {
                    yield recheck(VERIFY_RECHECK);
                }
                Optional<Duration> claimed = steps.claimPoolVm(fresh.get(), config, poolVmis);
                if (claimed.isPresent()) {
                    yield claimed.get().isZero() ? UpdateControl.noUpdate() : recheck(claimed.get());
                }
                yield recheck(steps.createVm(fresh.get(), config, record, node.isPresent()));
            }
            case WAIT_FOR_BACKOFF -> recheck(decision.recheckIn());
            case WAIT_FOR_NODE -> {
                steps.reportProgress(pod, vmi.get(), node.orElse(null));
                yield recheck(decision.recheckIn());
            }
            case VERIFY_NODE -> {
                steps.reportProgress(pod, vmi.get(), node.get());
                boolean verified = steps.verify(pod, config, vmi.get(), node.get());
                if (verified) {
                    watches.slotFreedHere();
                }
                yield verified ? UpdateControl.noUpdate() : recheck(VERIFY_RECHECK);
            }
            case REJECT_NODE -> {
                steps.reject(pod, node.get(), decision.why());
                yield recheck(decision.recheckIn());
            }
            case READY -> {
                steps.ready(pod, config, node.orElse(null));
                yield UpdateControl.noUpdate();
            }
            case RETRY -> recheck(steps.retry(pod, record, decision.why(), config.maxBootAttempts()));
            case GIVE_UP -> {
                steps.giveUp(pod, record, decision.why());
                yield UpdateControl.noUpdate();
            }
            case GAVE_UP -> UpdateControl.noUpdate();
        };
    }

    /**
     * A pod bound to a node: nothing to provision, ever again. Bound to its own VM's node, it is failed if that VM is
     * lost (it can run nowhere else, and the name is never given to another VM); a claimed warm-pool VM no longer in
     * the cache counts as its own. Bound anywhere else, it is not ours to act on (the isolation guard's, if anyone's).
     */
    private UpdateControl<Pod> bound(Pod pod, String boundTo, String ownNode, VirtualMachineInstance vmi, Node node) {
        boolean own = boundTo.equals(ownNode) || Names.isMaroonNodeName(boundTo) && watches.vmi(boundTo).isEmpty();
        if (!own) {
            LOG.warn("pod {}/{} ({}) is bound to {}, not to its VM node: not provisioning", namespace(pod), name(pod),
                    pod.getMetadata().getUid(), boundTo);
            return UpdateControl.noUpdate();
        }
        if (LostVm.why(boundTo, boundTo.equals(ownNode) ? vmi : null, boundTo.equals(ownNode) ? node : null) != null) {
            steps.endings().lostVm(boundTo).ifPresent(why -> steps.endings().vmLost(pod, boundTo, why));
        }
        return UpdateControl.noUpdate();
    }

    private static UpdateControl<Pod> recheck(Duration after) {
        return UpdateControl.<Pod>noUpdate().rescheduleAfter(after);
    }

    static String namespace(Pod pod) {
        return pod.getMetadata().getNamespace();
    }

    static String name(Pod pod) {
        return pod.getMetadata().getName();
    }
}
