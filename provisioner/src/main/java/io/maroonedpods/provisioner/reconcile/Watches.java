package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.MaroonedPodsConfig;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.pool.PoolVm;
import io.maroonedpods.kubevirt.VmiPhase;
import io.maroonedpods.provisioner.lifecycle.BootQueue;
import io.maroonedpods.provisioner.lifecycle.CachedVmis;
import io.maroonedpods.provisioner.vm.DesiredVm;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * The secondary watches of the pod controller and how their events find the pod: VMIs by the pod labels we put on
 * them (only in the VMI namespace: a VMI elsewhere, which a tenant could create, is never trusted), nodes by their
 * name {@code maroon-<uid>}, and MaroonedPodsConfig by waking every pod not yet bound (they may be waiting for it).
 * A verified node or a failed VMI frees a boot slot: its event also wakes the pod that has waited longest for one.
 */
final class Watches {
    static final String UID_INDEX = "pod-uid";
    static final Duration PASS_REUSED_FOR = Duration.ofMillis(20);
    /** Pool VMIs by the UID of the pod that claimed them ("" while unclaimed); other VMIs are not indexed. */
    private static final String CLAIMED_BY_INDEX = "claimed-by";

    final InformerEventSource<VirtualMachineInstance, Pod> vmis;
    final InformerEventSource<Node, Pod> nodes;
    final InformerEventSource<MaroonedPodsConfig, Pod> configs;
    private final String vmNamespace;
    private final BootQueue<ResourceID> bootQueue;
    private final IntSupplier bootCap;
    private final AtomicReference<LastPass> lastPass = new AtomicReference<>();

    /**
     * @param bootCap the boot-slot cap in force ({@code maxConcurrentBoots}): a freed slot wakes as many waiting
     *                pods as there are free slots, not one (one per event left most slots idle in a burst)
     */
    Watches(EventSourceContext<Pod> context, String vmNamespace, BootQueue<ResourceID> bootQueue, IntSupplier bootCap) {
        this.vmNamespace = vmNamespace;
        this.bootQueue = bootQueue;
        this.bootCap = bootCap;
        IndexerResourceCache<Pod> pods = context.getPrimaryCache();
        pods.addIndexer(UID_INDEX, pod -> List.of(pod.getMetadata().getUid()));
        vmis = new InformerEventSource<>(InformerEventSourceConfiguration.from(VirtualMachineInstance.class, Pod.class)
                .withName("vmis").withNamespaces(Set.of(vmNamespace))
                .withLabelSelector(Names.MANAGED_BY_LABEL + "=" + Names.MANAGED_BY_VALUE)
                .withSecondaryToPrimaryMapper(vmi -> VmiPhase.FAILED.equals(vmi.phase())
                        ? withWaiting(podOf(vmi)) : podOf(vmi)).build(), context);
        vmis.addIndexers(Map.of(CLAIMED_BY_INDEX, vmi -> PoolVm.isPool(vmi)
                ? List.of(Objects.requireNonNullElse(PoolVm.claimedBy(vmi), "")) : List.of()));
        nodes = new InformerEventSource<>(InformerEventSourceConfiguration.from(Node.class, Pod.class)
                .withName("nodes").withGenericFilter(node -> Names.isMaroonNodeName(node.getMetadata().getName()))
                .withSecondaryToPrimaryMapper(node -> {
                    Set<ResourceID> owner = byUid(pods, podUidOf(node));
                    return verifiedLabel(node).isEmpty() ? owner : withWaiting(owner);
                })
                .build(), context);
        configs = new InformerEventSource<>(InformerEventSourceConfiguration.from(MaroonedPodsConfig.class, Pod.class)
                .withName("config")
                .withSecondaryToPrimaryMapper(config -> pods.list()
                        .filter(pod -> pod.getSpec().getNodeName() == null)
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
    }

    List<EventSource<?, Pod>> all() {
        return List.of(vmis, nodes, configs);
    }

    Optional<VirtualMachineInstance> vmi(String name) {
        return vmis.get(new ResourceID(name, vmNamespace));
    }

    Optional<Node> node(String name) {
        return nodes.get(new ResourceID(name));
    }

    Optional<MaroonedPodsConfig> config() {
        return configs.get(new ResourceID(Names.CONFIG_NAME));
    }

    /**
     * The name of the pod's VM (and node): the warm-pool VM it claimed, if the cache shows one, else its own
     * {@code maroon-<uid>}.
     */
    String vmNameOf(String podUid) {
        return vmis.byIndex(CLAIMED_BY_INDEX, podUid).stream().findFirst()
                .map(vmi -> vmi.getMetadata().getName()).orElse(Names.nodeName(podUid));
    }

    /**
     * The unclaimed warm-pool VMIs in the cache, from the claim index: every queued pod's recheck asks, and a scan of
     * all cached VMIs for them would cost what the reused pass below saves. A claim re-reads each from the API first.
     */
    List<VirtualMachineInstance> unclaimedPoolVmis() {
        return vmis.byIndex(CLAIMED_BY_INDEX, "");
    }

    /**
     * The cached VMIs and which are booting, as of at most {@link #PASS_REUSED_FOR} ago. In a burst hundreds of
     * reconciles a second ask; a pass over a thousand VMIs each time was a sixth of the process's CPU. A pass that
     * old is safe for the boot cap: a VMI created since is still counted in flight by {@code BootSlots}, and one
     * verified since still counts as booting, which only makes the cap stricter for a moment.
     */
    CachedVmis cachedVmis() {
        LastPass last = lastPass.get();
        return last != null && System.nanoTime() - last.nanos() < PASS_REUSED_FOR.toNanos() ? last.vmis() : freshPass();
    }

    /**
     * The cached VMIs by name, and those booting: their node is not verified yet. An available pool VM has finished
     * booting (its node is verified as a pool node) and holds no boot slot. One pass over the cache.
     */
    private CachedVmis freshPass() {
        long started = System.nanoTime();
        Set<String> all = new HashSet<>();
        Set<String> booting = new HashSet<>();
        vmis.list().forEach(vmi -> {
            String name = vmi.getMetadata().getName();
            all.add(name);
            if (!PoolVm.available(vmi) && node(name).map(n -> verifiedLabel(n).isEmpty()).orElse(true)) {
                booting.add(name);
            }
        });
        CachedVmis pass = new CachedVmis(all, booting);
        // Kept only if no pass begun later was kept meanwhile: a woken pod must not read a pass older than the
        // event that woke it (it would still see the freed slot taken).
        lastPass.accumulateAndGet(new LastPass(pass, started),
                (kept, made) -> kept == null || made.nanos() - kept.nanos() >= 0 ? made : kept);
        return pass;
    }

    private record LastPass(CachedVmis vmis, long nanos) {
    }

    private static String verifiedLabel(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels();
        String value = labels == null ? null : labels.get(Names.VERIFIED_POD_UID_LABEL);
        return value == null ? "" : value;
    }

    /** A dedicated node's pod from its name; a claimed pool node's from the self-label the claim set on it. */
    private static String podUidOf(Node node) {
        String name = node.getMetadata().getName();
        if (!name.startsWith(Names.POOL_NODE_PREFIX)) {
            return Names.podUidOf(name);
        }
        Map<String, String> labels = node.getMetadata().getLabels();
        return labels == null ? null : labels.get(Names.NODE_POD_UID_LABEL);
    }

    static Set<ResourceID> podOf(VirtualMachineInstance vmi) {
        Map<String, String> labels = vmi.getMetadata().getLabels();
        String namespace = labels == null ? null : labels.get(Names.POD_NAMESPACE_LABEL);
        String name = labels == null ? null : DesiredVm.podName(vmi);
        return namespace == null || name == null ? Set.of() : Set.of(new ResourceID(name, namespace));
    }

    /** The owner, and the pods first in line for the slots now free (at least one: the cache may lag). */
    private Set<ResourceID> withWaiting(Set<ResourceID> owner) {
        if (bootQueue.size() == 0) {
            return owner;
        }
        // A fresh pass: the pods woken now reuse it, and must see the slot this event freed.
        int free = bootCap.getAsInt() - freshPass().booting().size();
        Set<ResourceID> wake = new HashSet<>(owner);
        wake.addAll(bootQueue.first(Math.max(1, free)));
        return wake;
    }

    private static Set<ResourceID> byUid(IndexerResourceCache<Pod> pods, String uid) {
        return uid == null ? Set.of() : pods.byIndex(UID_INDEX, uid).stream().map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }
}
