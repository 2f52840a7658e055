package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.events.EventPublisher;
import io.maroonedpods.provisioner.events.Reason;
import io.maroonedpods.provisioner.observe.ProvisionerMetrics;
import io.maroonedpods.provisioner.pool.PoolClaim;
import io.maroonedpods.provisioner.pool.PoolPlan;
import io.maroonedpods.provisioner.vm.Sizing;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands an available warm-pool VM to a pod instead of booting one ({@link PoolClaim} makes the two writes), and
 * settles the pod on the claimed node as after a boot.
 */
final class PoolClaimer {
    private static final Logger LOG = LoggerFactory.getLogger(PoolClaimer.class);
    static final Duration CLAIM_RECHECK = Duration.ofSeconds(2);

    private final KubernetesClient client;
    private final PoolClaim claims;
    private final PodEdits pods;
    private final EventPublisher events;
    private final ProvisionerMetrics metrics;
    private final Clock clock;
    private final String vmNamespace;

    PoolClaimer(
            KubernetesClient client,
            PoolClaim claims,
            PodEdits pods,
            EventPublisher events,
            ProvisionerMetrics metrics,
            Clock clock,
            String vmNamespace) {
        this.client = client;
        this.claims = claims;
        this.pods = pods;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.vmNamespace = vmNamespace;
    }

    /** Whether an available pool VM in the cache would fit the pod. */
    static boolean fits(Pod pod, EffectiveConfig config, List<VirtualMachineInstance> poolVmis) {
        return !PoolPlan.claimOrder(
                        poolVmis,
                        Sizing.of(pod.getSpec(), config),
                        pod.getMetadata().getUid())
                .isEmpty();
    }

    /**
     * Takes an available warm-pool VM that fits the pod. Empty: none could be taken, boot. Otherwise when to look
     * again ({@link Duration#ZERO}: the node is the pod's, nothing left to do).
     */
    Optional<Duration> claim(Pod pod, EffectiveConfig config, List<VirtualMachineInstance> poolVmis) {
        String uid = pod.getMetadata().getUid();
        List<String> order = PoolPlan.claimOrder(poolVmis, Sizing.of(pod.getSpec(), config), uid);
        if (order.isEmpty()) {
            return Optional.empty();
        }
        if (claims.podHasVm(uid)) {
            return Optional.of(VmBooter.QUEUED_RECHECK); // our cache is behind our own claim or boot: never a second VM
        }
        // Tolerating first: a claimed node takes the pod at once, and a scheduling attempt finding it without the
        // toleration would cost the pod a backoff.
        Pod tolerating = pods.withToleration(pod, PodShape.toleration(config.dedicatedTaintKey(), uid));
        return claims.claim(tolerating, config.dedicatedTaintKey(), order)
                .map(claimed -> claimed.outcome() == PoolClaim.Outcome.CLAIMED
                        ? claimed(tolerating, config, claimed.vmi())
                        : CLAIM_RECHECK);
    }

    /** The node step of a claim recorded on the pool VMI but not yet on its node (a crash, a conflict). */
    Duration finish(Pod pod, EffectiveConfig config, VirtualMachineInstance vmi) {
        PoolClaim.Outcome outcome = claims.finish(pod.getMetadata().getUid(), config.dedicatedTaintKey(), vmi);
        return outcome == PoolClaim.Outcome.CLAIMED
                ? claimed(pod, config, vmi.getMetadata().getName())
                : CLAIM_RECHECK;
    }

    private Duration claimed(Pod pod, EffectiveConfig config, String vmi) {
        metrics.nodeVerified(pod, clock.instant());
        LOG.info(
                "pod {}/{} ({}): claimed warm-pool node {}",
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                pod.getMetadata().getUid(),
                vmi);
        events.publish(
                pod,
                Reason.PoolNodeClaimed,
                "claimed warm-pool node " + vmi + " (verified against VMI "
                        + vmNamespace + "/" + vmi
                        + ": name, InternalIP, systemUUID); it is now reserved for this pod and is"
                        + " destroyed after it");
        var node = client.nodes().withName(vmi).get();
        pods.settle(pod, config.dedicatedTaintKey(), PodPlan.settle(pod, node, config.dedicatedTaintKey()));
        return Duration.ZERO;
    }
}
