package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.config.ConfigSource;
import io.maroonedpods.provisioner.config.ConfigView;
import io.maroonedpods.provisioner.events.EventPublisher;
import io.maroonedpods.provisioner.join.JoinCredentials;
import io.maroonedpods.provisioner.lifecycle.BootRecord;
import io.maroonedpods.provisioner.lifecycle.Teardown;
import io.maroonedpods.provisioner.observe.ProvisionerMetrics;
import io.maroonedpods.provisioner.pool.PoolClaim;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what {@link PodPlan} decided, each action by the actor of its concern: {@link VmBooter} (boot slots and
 * booting VMs), {@link PoolClaimer} (warm-pool VMs), {@link NodeVerifier} (labelling nodes), {@link PodEdits} (the pod
 * itself) and {@link PodEndings} (teardown).
 */
public final class PodActions {
    private static final Logger LOG = LoggerFactory.getLogger(PodActions.class);
    static final Duration VERIFY_RECHECK = Duration.ofSeconds(2);

    private final ConfigSource configs;
    private final BootLine line;
    private final PodEdits pods;
    private final VmBooter booter;
    private final PoolClaimer claimer;
    private final NodeVerifier verifier;
    private final PodEndings endings;
    private volatile Runnable slotFreed = () -> {};

    /**
     * @param strangerOn whether a pod other than the claimer's is on a node now (node name, claimer's UID): a warm-pool
     *                   claim asks before it hands the node to a pod
     */
    public PodActions(
            KubernetesClient client,
            ConfigSource configs,
            EventPublisher events,
            ProvisionerMetrics metrics,
            Clock clock,
            BiPredicate<String, String> strangerOn) {
        this.configs = configs;
        this.line = new BootLine(clock, () -> {
            ConfigView view = configs.view();
            return view.usable() ? view.config().maxConcurrentBoots() : 0;
        });
        Teardown teardown = new Teardown(client, configs.vmNamespace());
        this.pods = new PodEdits(client);
        this.booter = new VmBooter(client, configs, events, metrics, clock, teardown, pods, line);
        this.claimer = new PoolClaimer(
                client,
                new PoolClaim(client, configs.vmNamespace(), teardown, strangerOn),
                pods,
                events,
                metrics,
                clock,
                configs.vmNamespace());
        this.verifier = new NodeVerifier(
                new NodeLabeler(client, new JoinCredentials(client)), pods, line, events, metrics, clock);
        this.endings = new PodEndings(client, configs.vmNamespace(), teardown, pods, events, metrics, clock, line);
        metrics.bootSlots(line::busy, line::waiting);
    }

    ConfigSource configs() {
        return configs;
    }

    BootLine line() {
        return line;
    }

    /** What wakes the pods first in line when this process frees a boot slot itself. */
    void onSlotFreed(Runnable wake) {
        this.slotFreed = wake;
    }

    /** The pod as the API server has it now, if it is still the same pod. */
    Optional<Pod> fresh(Pod pod) {
        return pods.fresh(pod);
    }

    /** The newest copy of the node this process has: the cache's, or the one its own label patch returned. */
    io.fabric8.kubernetes.api.model.Node latest(io.fabric8.kubernetes.api.model.Node node) {
        return verifier.latest(node);
    }

    /** The newest copy of the pod this process has: the informer's, or the one its own last write returned. */
    Pod latest(Pod pod) {
        return pods.latest(pod);
    }

    UpdateControl<Pod> act(PodObservation seen, PodAction action, List<VirtualMachineInstance> poolVmis) {
        Pod pod = seen.pod();
        EffectiveConfig config = seen.config().config();
        return switch (action) {
            case PodAction.Nothing nothing -> UpdateControl.noUpdate();
            case PodAction.Recheck recheck -> recheck(recheck.after());
            case PodAction.ConfirmGone confirm -> UpdateControl.noUpdate(); // the reconciler plans again first
            case PodAction.NotOurs notOurs -> {
                LOG.warn(
                        "pod {}/{} ({}) is bound to {}, not to its VM node: not provisioning",
                        pod.getMetadata().getNamespace(),
                        pod.getMetadata().getName(),
                        seen.uid(),
                        notOurs.boundTo());
                yield UpdateControl.noUpdate();
            }
            case PodAction.TearDown ending -> {
                endings.tearDown(seen, ending);
                yield UpdateControl.noUpdate();
            }
            case PodAction.Refuse refuse -> {
                booter.refuse(pod, refuse);
                yield recheck(PodPlan.CONFIG_RECHECK);
            }
            case PodAction.FailIfVmLost lost -> {
                endings.failIfVmLost(pod, lost.node());
                yield UpdateControl.noUpdate();
            }
            case PodAction.FinishClaim finish -> until(claimer.finish(pod, config, finish.vmi()));
            case PodAction.FinishBoot finish -> recheck(booter.finish(pod, config, finish.vmi(), finish.attempt()));
            case PodAction.Queue queue -> recheck(booter.queue(pod, config));
            case PodAction.ClaimOrBoot boot -> claimOrBoot(pod, config, boot, poolVmis);
            case PodAction.Verify verify -> {
                boolean verified = verifier.verify(pod, config, verify.vmi(), verify.node());
                if (verified) {
                    slotFreed.run();
                }
                yield verified ? UpdateControl.noUpdate() : recheck(VERIFY_RECHECK);
            }
            case PodAction.Reject reject -> {
                verifier.reject(pod, reject.node(), reject.why());
                yield recheck(reject.recheck());
            }
            case PodAction.Settle settle -> {
                pods.settle(pod, config.dedicatedTaintKey(), settle);
                yield UpdateControl.noUpdate();
            }
            case PodAction.Retry retry ->
                recheck(endings.retry(seen, retry.record(), retry.why(), config.maxBootAttempts()));
            case PodAction.GiveUp giveUp -> {
                endings.giveUp(seen, giveUp.record(), giveUp.why());
                yield UpdateControl.noUpdate();
            }
        };
    }

    /**
     * Booting a VM is the one costly, irreversible step: it is decided on the pod's record as it is now, not as the
     * informer last saw it (our own annotation write from a moment ago may not have arrived yet). Only the provisioner
     * writes that record, so the informer's copy does when it shows the record this process last wrote.
     */
    private UpdateControl<Pod> claimOrBoot(
            Pod pod, EffectiveConfig config, PodAction.ClaimOrBoot boot, List<VirtualMachineInstance> poolVmis) {
        Optional<Pod> latest = pods.showsOwnRecord(pod) ? Optional.of(pod) : pods.fresh(pod);
        if (latest.isEmpty()) {
            return UpdateControl.noUpdate();
        }
        if (!BootRecord.of(latest.get()).equals(BootRecord.of(pod))) {
            return recheck(VERIFY_RECHECK);
        }
        Optional<Duration> claimed = claimer.claim(latest.get(), config, poolVmis);
        if (claimed.isPresent()) {
            return until(claimed.get());
        }
        return recheck(booter.boot(latest.get(), config, boot.record(), boot.staleNode()));
    }

    /** {@link Duration#ZERO}: done. */
    private static UpdateControl<Pod> until(Duration next) {
        return next.isZero() ? UpdateControl.noUpdate() : recheck(next);
    }

    private static UpdateControl<Pod> recheck(Duration after) {
        return UpdateControl.<Pod>noUpdate().rescheduleAfter(after);
    }
}
