package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.OptIn;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.config.ConfigView;
import io.maroonedpods.provisioner.lifecycle.PodLife;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod in, one verified VM node out: observe the pod and its VM in the caches, plan the next step
 * ({@link PodPlan}, pure), act ({@link PodActions}). Steps return early and let the next event (VMI status, node
 * registration) or a recheck continue.
 *
 * <p>Runs with {@code triggerReconcilerOnAllEvents}: a pod's deletion reaches {@code reconcile} with its last known
 * state, so teardown happens at once without putting a finalizer on user pods.
 */
public class MaroonPodReconciler implements Reconciler<Pod> {
    private static final Logger LOG = LoggerFactory.getLogger(MaroonPodReconciler.class);

    private final PodActions actions;
    private final Clock clock;
    private final String schedulerName;
    private final boolean watchMayLoseLivePods;
    private Watches watches;

    /**
     * @param schedulerName        pods naming it opt in (besides the default name and the label)
     * @param watchMayLoseLivePods the pod watch is label-selected: a pod whose label is removed leaves it as if deleted
     */
    public MaroonPodReconciler(PodActions actions, Clock clock, String schedulerName, boolean watchMayLoseLivePods) {
        this.actions = actions;
        this.clock = clock;
        this.schedulerName = schedulerName;
        this.watchMayLoseLivePods = watchMayLoseLivePods;
    }

    @Override
    public List<EventSource<?, Pod>> prepareEventSources(EventSourceContext<Pod> context) {
        watches = new Watches(context, actions.configs().vmNamespace(), actions.line());
        actions.configs().follow(() -> watches.config());
        actions.onSlotFreed(watches::slotFreedHere);
        return watches.all();
    }

    @Override
    public UpdateControl<Pod> reconcile(Pod pod, Context<Pod> context) {
        boolean deleted = context.isPrimaryResourceDeleted();
        PodObservation seen = observe(deleted ? pod : actions.latest(pod), deleted);
        PodAction next = PodPlan.plan(seen);
        if (next instanceof PodAction.ConfirmGone) {
            // Gone, or only out of a label-selected watch: plan on the pod as the API server has it.
            seen = actions.fresh(pod)
                    .filter(live -> !PodLife.done(live))
                    .map(live -> observe(live, false))
                    .orElse(seen.confirmedGone());
            next = PodPlan.plan(seen);
        }
        LOG.debug(
                "pod {}/{} ({}): {}",
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                seen.uid(),
                next);
        return actions.act(seen, next, watches.unclaimedPoolVmis());
    }

    /** The pod and its VM as the caches show them; whether a pool VM or a boot slot is there only when it may boot. */
    private PodObservation observe(Pod pod, boolean deleted) {
        String vmName = watches.vmNameOf(pod.getMetadata().getUid());
        VirtualMachineInstance vmi = watches.vmi(vmName).orElse(null);
        ConfigView config = actions.configs().view();
        String boundTo = pod.getSpec().getNodeName();
        boolean bound = boundTo != null && !boundTo.isEmpty();
        boolean mayBoot = !deleted && !bound && vmi == null && config.usable();
        boolean poolVmFits = mayBoot && PoolClaimer.fits(pod, config.config(), watches.unclaimedPoolVmis());
        boolean slotFree = mayBoot
                && !poolVmFits
                && actions.line().slotFree(pod, config.config().maxConcurrentBoots());
        return new PodObservation(
                pod,
                OptIn.isMaroon(pod, schedulerName),
                deleted,
                watchMayLoseLivePods,
                vmName,
                vmi,
                actions.latest(watches.node(vmName).orElse(null)),
                bound && Names.isMaroonNodeName(boundTo) && watches.vmi(boundTo).isPresent(),
                config,
                poolVmFits,
                slotFree,
                clock.instant());
    }
}
