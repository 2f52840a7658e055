package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.kubevirt.VmiPhase;
import io.maroonedpods.provisioner.config.ConfigSource;
import io.maroonedpods.provisioner.config.ConfigView;
import io.maroonedpods.provisioner.events.EventPublisher;
import io.maroonedpods.provisioner.events.Reason;
import io.maroonedpods.provisioner.join.JoinCredentials;
import io.maroonedpods.provisioner.join.JoinPin;
import io.maroonedpods.provisioner.join.VmCredentials;
import io.maroonedpods.provisioner.lifecycle.BootQueue;
import io.maroonedpods.provisioner.lifecycle.BootRecord;
import io.maroonedpods.provisioner.lifecycle.BootSlots;
import io.maroonedpods.provisioner.lifecycle.SecretOwnership;
import io.maroonedpods.provisioner.lifecycle.Teardown;
import io.maroonedpods.provisioner.node.NodeReadiness;
import io.maroonedpods.provisioner.node.NodeVerdict;
import io.maroonedpods.provisioner.observe.ProvisionerMetrics;
import io.maroonedpods.provisioner.pool.PoolClaim;
import io.maroonedpods.provisioner.pool.PoolPlan;
import io.maroonedpods.provisioner.vm.DesiredVm;
import io.maroonedpods.provisioner.vm.Sizing;
import io.maroonedpods.provisioner.vm.VmSize;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps of the pod controller: each does one thing through the API and records what it did. */
public final class PodSteps {
    private static final Logger LOG = LoggerFactory.getLogger(PodSteps.class);
    static final Duration QUEUED_RECHECK = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final ConfigSource configs;
    private final EventPublisher events;
    private final ProvisionerMetrics metrics;
    private final Clock clock;
    private final Teardown teardown;
    private final BootSlots slots = new BootSlots();
    private final BootQueue<ResourceID> queue = new BootQueue<>();
    private final PodEdits pods;
    private final NodeLabeler labeler;
    private final PoolClaim claims;
    private final JoinCredentials credentials;
    private final PodEndings endings;

    /**
     * @param strangerOn whether a pod other than the claimer's is on a node now (node name, claimer's UID): a warm-pool
     *                   claim asks before it hands the node to a pod
     */
    public PodSteps(KubernetesClient client, ConfigSource configs, EventPublisher events, ProvisionerMetrics metrics,
            Clock clock, BiPredicate<String, String> strangerOn) {
        this.client = client;
        this.configs = configs;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.teardown = new Teardown(client, configs.vmNamespace());
        this.pods = new PodEdits(client);
        this.credentials = new JoinCredentials(client);
        this.labeler = new NodeLabeler(client, credentials);
        this.claims = new PoolClaim(client, configs.vmNamespace(), teardown, strangerOn);
        this.endings = new PodEndings(client, configs.vmNamespace(), teardown, pods, events, metrics, clock, queue);
        metrics.bootSlots(() -> slots.busy(clock.instant()), queue::size);
    }

    /** The pods waiting for a boot slot: the watches wake them when one frees. */
    BootQueue<ResourceID> bootQueue() {
        return queue;
    }

    ConfigSource configs() {
        return configs;
    }

    EventPublisher events() {
        return events;
    }

    Clock clock() {
        return clock;
    }

    /**
     * The pod with its boot record as it is now, to decide a boot on: this copy if it shows the record this process
     * last wrote (only the provisioner writes it), else the pod as the API server has it, if it is still the same pod.
     */
    Optional<Pod> withLatestRecord(Pod pod) {
        return pods.showsOwnRecord(pod) ? Optional.of(pod) : pods.fresh(pod);
    }

    /** How the pod's VM ends: the pod deleted, finished or opted out, or its VM lost while it is bound. */
    PodEndings endings() {
        return endings;
    }

    /**
     * The toleration of the pod's own node's taint. It is added in the same write as the boot record when a VM is
     * created for the pod, or before a warm-pool claim: one pod write fewer, and one fewer event for every watcher of
     * pods, while the pod waits for its node anyway.
     */
    private static Toleration toleration(Pod pod, EffectiveConfig config) {
        return PodEdits.dedicatedToleration(config.dedicatedTaintKey(), pod.getMetadata().getUid());
    }

    /** Whether a warm-pool VM in the cache fits the pod: it needs no boot slot then. */
    boolean mayClaim(Pod pod, EffectiveConfig config, List<VirtualMachineInstance> poolVmis) {
        return !PoolPlan.claimOrder(poolVmis, Sizing.of(pod.getSpec(), config), pod.getMetadata().getUid()).isEmpty();
    }

    /** Whether a boot slot would be the pod's now (nothing is taken). */
    boolean slotFree(Pod pod, EffectiveConfig config) {
        Instant now = clock.instant();
        synchronized (queue) {
            int ahead = queue.ahead(ResourceID.fromResource(pod), now, config.maxConcurrentBoots());
            return slots.wouldGrant(Names.nodeName(pod.getMetadata().getUid()), config.maxConcurrentBoots(), ahead,
                    now);
        }
    }

    /** An event about the VM or its node: the boot-slot ledger reads its state from the caches again. */
    void observe(String vmiName, Supplier<BootSlots.CacheState> state) {
        slots.observe(vmiName, state);
    }

    /** How many boot slots are free now (none while the configuration is unusable). */
    int freeSlots() {
        ConfigView view = configs.view();
        return view.usable() ? slots.free(view.config().maxConcurrentBoots(), clock.instant()) : 0;
    }

    /** The pod waits for a boot slot: it keeps its place in line (or takes the last one); returns when to recheck. */
    Duration queue(Pod pod, EffectiveConfig config) {
        queue.waiting(ResourceID.fromResource(pod), clock.instant());
        events.publish(pod, Reason.BootQueued, "waiting for a boot slot: " + config.maxConcurrentBoots()
                + " VMs are booting (spec.maxConcurrentBoots)");
        return QUEUED_RECHECK;
    }

    /** Boots a VM for the pod if a boot slot is free; returns when to look again. */
    Duration createVm(Pod pod, EffectiveConfig config, BootRecord record, boolean staleNode) {
        String uid = pod.getMetadata().getUid();
        String name = Names.nodeName(uid);
        Instant now = clock.instant();
        ResourceID id = ResourceID.fromResource(pod);
        if (slots.inFlight(name, now)) {
            return QUEUED_RECHECK; // our cache is behind our own create: the VMI exists, nothing to boot
        }
        // Place and slot change together: two woken pods must not both count the first one's slot as taken.
        synchronized (queue) {
            if (!slots.tryAcquire(name, config.maxConcurrentBoots(), queue.ahead(id, now, config.maxConcurrentBoots()), now)) {
                return queue(pod, config);
            }
            queue.done(id);
        }
        String networkProblem = configs.nodeNetworkProblem(config);
        if (networkProblem != null) {
            slots.release(name);
            events.publish(pod, Reason.NodeNetworkUnsupported, networkProblem + "; no VM is created until it is set");
            return MaroonPodReconciler.CONFIG_RECHECK;
        }
        JoinPin pin = configs.caPin(config);
        if (!pin.ok()) {
            slots.release(name);
            events.publish(pod, Reason.valueOf(pin.reason()), pin.problem() + "; no VM is created until this is fixed");
            return MaroonPodReconciler.CONFIG_RECHECK;
        }
        VmCredentials vmCredentials = credentials.mint();
        Secret userdata;
        try {
            userdata = DesiredVm.userdataSecret(pod, config, vmCredentials, pin);
        } catch (IllegalArgumentException e) {
            slots.release(name);
            events.publish(pod, Reason.ConfigInvalid, e.getMessage());
            return MaroonPodReconciler.CONFIG_RECHECK;
        }
        if (staleNode) {
            // A node by the VM's name but no VMI in the cache: read before deleting it, the cache may just lag.
            if (KubeVirt.vmis(client, config.vmNamespace()).withName(name).get() != null) {
                slots.release(name);
                return QUEUED_RECHECK; // our watch is behind: the VMI exists, nothing to boot, its node is not stale
            }
            teardown.staleNode(name);
        }
        int attempt = record.attempts() + 1;
        Created created;
        try {
            // The userdata Secret first: it names the VM's bootstrap token, so a crash after the next step leaves the
            // token findable by teardown (and it expires at the boot timeout anyway).
            writeUserdata(config.vmNamespace(), name, userdata);
            credentials.install(vmCredentials, name, now.plusSeconds(config.bootTimeoutSeconds()));
            created = createIfAbsent(DesiredVm.withBootstrapTokenId(
                    DesiredVm.vmi(pod, config, UUID.randomUUID().toString(), now, attempt), vmCredentials.token().id()));
        } catch (RuntimeException e) {
            slots.release(name);
            throw e;
        }
        if (!created.now()) {
            // It was there already (our cache lagged behind our own create): this is not a new attempt, and the token
            // just minted is nobody's.
            credentials.revoke(vmCredentials.token().id());
            return QUEUED_RECHECK;
        }
        // Counted once the VMI exists, so an API error before it costs no attempt; the VMI carries the count as well.
        pods.recordBoot(pod, new BootRecord(attempt, null, null), toleration(pod, config));
        SecretOwnership.ownBy(client, userdata, created.vmi());
        VmSize size = Sizing.of(pod.getSpec(), config);
        LOG.info("pod {}/{} ({}): created VMI {}/{} ({} vCPU, {}), attempt {} of {}", pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(), uid, config.vmNamespace(), name, size.cpuCores(), size.memoryQuantity(),
                attempt, config.maxBootAttempts());
        metrics.vmiCreated(pod, now);
        events.publish(pod, Reason.VmiCreated, "created VMI " + config.vmNamespace() + "/" + name + " ("
                + size.cpuCores() + " vCPU, " + size.memoryQuantity() + "), boot attempt " + attempt + " of "
                + config.maxBootAttempts());
        return Duration.ofSeconds(Math.min(config.bootTimeoutSeconds(), 15));
    }

    /**
     * Takes an available warm-pool VM that fits the pod instead of booting one. Empty: none could be taken, boot.
     * Otherwise when to look again ({@link Duration#ZERO}: the node is the pod's, nothing left to do).
     */
    Optional<Duration> claimPoolVm(Pod pod, EffectiveConfig config, List<VirtualMachineInstance> poolVmis) {
        String uid = pod.getMetadata().getUid();
        List<String> order = PoolPlan.claimOrder(poolVmis, Sizing.of(pod.getSpec(), config), uid);
        if (order.isEmpty()) {
            return Optional.empty();
        }
        if (claims.podHasVm(uid)) {
            return Optional.of(QUEUED_RECHECK); // our cache is behind our own claim or boot: never take a second VM
        }
        // Tolerating first: a claimed node takes the pod at once, and a scheduling attempt finding it without the
        // toleration would cost the pod a backoff.
        Pod tolerating = pods.withToleration(pod, toleration(pod, config));
        return claims.claim(tolerating, config.dedicatedTaintKey(), order).map(claimed -> claimed.outcome()
                == PoolClaim.Outcome.CLAIMED ? claimed(tolerating, config, claimed.vmi())
                : MaroonPodReconciler.VERIFY_RECHECK);
    }

    /** The node step of a claim recorded on the pool VMI but not yet on its node (a crash, a conflict). */
    Duration finishClaim(Pod pod, EffectiveConfig config, VirtualMachineInstance vmi) {
        PoolClaim.Outcome outcome = claims.finish(pod.getMetadata().getUid(), config.dedicatedTaintKey(), vmi);
        return outcome == PoolClaim.Outcome.CLAIMED ? claimed(pod, config, vmi.getMetadata().getName())
                : MaroonPodReconciler.VERIFY_RECHECK;
    }

    private Duration claimed(Pod pod, EffectiveConfig config, String vmi) {
        metrics.nodeVerified(pod, clock.instant());
        LOG.info("pod {}/{} ({}): claimed warm-pool node {}", pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(), pod.getMetadata().getUid(), vmi);
        events.publish(pod, Reason.PoolNodeClaimed, "claimed warm-pool node " + vmi + " (verified against VMI "
                + configs.vmNamespace() + "/" + vmi + ": name, InternalIP, systemUUID); it is now reserved for this"
                + " pod and is destroyed after it");
        ready(pod, config, client.nodes().withName(vmi).get());
        return Duration.ZERO;
    }

    private record Created(VirtualMachineInstance vmi, boolean now) {
    }

    private Created createIfAbsent(VirtualMachineInstance desired) {
        try {
            return new Created(KubeVirt.vmis(client, desired.getMetadata().getNamespace()).resource(desired).create(),
                    true);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return new Created(null, false);
        }
    }

    /** Events for what happened while waiting: the VM runs, a node registered. Each is recorded once. */
    void reportProgress(Pod pod, VirtualMachineInstance vmi, Node node) {
        if (VmiPhase.RUNNING.equals(vmi.phase())) {
            String host = vmi.getStatus().nodeName == null ? "" : " on host " + vmi.getStatus().nodeName;
            events.publish(pod, Reason.VmiRunning, "VMI " + vmi.getMetadata().getName() + " is running" + host
                    + ", addresses " + vmi.getStatus().allIpAddresses());
        }
        if (node != null) {
            events.publish(pod, Reason.NodeJoined, "node " + node.getMetadata().getName() + " registered; verifying it"
                    + " against VMI " + vmi.getMetadata().getName());
        }
    }

    /** Labels the node (checked once more, on the version the label goes to) and opens the gate once it is Ready. */
    boolean verify(Pod pod, EffectiveConfig config, VirtualMachineInstance vmi, Node node) {
        NodeVerdict verdict = labeler.verifyAndLabel(vmi, node, pod.getMetadata().getUid(),
                config.dedicatedTaintKey());
        if (!verdict.is(NodeVerdict.Outcome.VERIFIED)) {
            return false;
        }
        Instant now = clock.instant();
        slots.verified(vmi.getMetadata().getName(), now);
        metrics.nodeVerified(pod, now);
        LOG.info("pod {}/{} ({}): node {} verified and labelled", pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(), pod.getMetadata().getUid(), vmi.getMetadata().getName());
        events.publish(pod, Reason.NodeVerified, "node " + vmi.getMetadata().getName() + " matches VMI "
                + vmi.getMetadata().getName() + " (name, InternalIP, systemUUID) and is now reserved for this pod");
        ready(pod, config, node);
        return true;
    }

    /**
     * The pod's node is verified. The gate opens only when the node would also take the pod; until then the node's
     * own transition to Ready brings the pod back here.
     */
    void ready(Pod pod, EffectiveConfig config, Node node) {
        // The pod's own annotations, not the record merged with the VMI's attempt label, which stays.
        BootRecord recorded = BootRecord.of(pod);
        boolean clearRecord = recorded.attempts() > 0 || recorded.nextBootAfter() != null;
        Toleration toleration = toleration(pod, config);
        boolean openGate = PodEdits.gated(pod) && NodeReadiness.acceptsPods(node, withToleration(pod, toleration));
        // One write: two in a row cost a round trip, and the second one a conflict on the copy the first outdated.
        pods.settle(pod, toleration, clearRecord, openGate);
        if (openGate) {
            LOG.info("pod {}/{} ({}): removed scheduling gate {}", pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), pod.getMetadata().getUid(), Names.SCHEDULING_GATE);
        }
    }

    /** The pod's tolerations once {@code settle} has added ours (in the same write that opens the gate). */
    private static List<Toleration> withToleration(Pod pod, Toleration toleration) {
        List<Toleration> tolerations = new ArrayList<>(pod.getSpec().getTolerations() == null ? List.of()
                : pod.getSpec().getTolerations());
        tolerations.add(toleration);
        return tolerations;
    }

    void reject(Pod pod, Node node, String why) {
        metrics.bootFailure("node_rejected");
        LOG.warn("pod {}/{} ({}): node {} rejected: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                pod.getMetadata().getUid(), node.getMetadata().getName(), why);
        events.publish(EventPublisher.reference(pod), Reason.NodeRejected, "node " + node.getMetadata().getName()
                + " is not the VM booted for this pod and will not be used: " + why, EventPublisher.reference(node));
    }

    /**
     * Creates the VM's userdata Secret. One there already is left by an attempt that stopped before its VMI existed:
     * the token it names is revoked before the Secret is overwritten to name the new one, or it would be nobody's.
     */
    private void writeUserdata(String namespace, String name, Secret userdata) {
        try {
            client.secrets().inNamespace(namespace).resource(userdata).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            teardown.revokeToken(name);
            client.secrets().inNamespace(namespace).resource(userdata).update();
        }
    }

    /** Tears the failed VM down and schedules the next attempt; returns the backoff. */
    Duration retry(Pod pod, BootRecord record, String why, int maxAttempts) {
        teardown.all(pod.getMetadata().getUid());
        Duration backoff = BootRecord.backoffAfter(record.attempts());
        pods.record(pod, new BootRecord(record.attempts(), clock.instant().plus(backoff), null));
        metrics.bootFailure("retried");
        LOG.warn("pod {}/{} ({}): boot attempt {} failed: {}", pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(), pod.getMetadata().getUid(), record.attempts(), why);
        events.publish(pod, Reason.BootFailed, "boot attempt " + record.attempts() + " of " + maxAttempts + " failed: "
                + why + "; VM torn down, retrying in " + backoff.toSeconds() + " s");
        return backoff;
    }

    void giveUp(Pod pod, BootRecord record, String why) {
        teardown.all(pod.getMetadata().getUid());
        String failure = why + " after " + record.attempts() + " boot attempt(s)";
        pods.record(pod, new BootRecord(record.attempts(), null, failure));
        metrics.bootFailure("gave_up");
        LOG.warn("pod {}/{} ({}): provisioning failed: {}", pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(), pod.getMetadata().getUid(), failure);
        events.publish(pod, Reason.ProvisioningFailed, failure + ". No VM is left; delete and recreate the pod to try"
                + " again, and see the provisioner README (Troubleshooting) for the usual causes.");
    }
}
