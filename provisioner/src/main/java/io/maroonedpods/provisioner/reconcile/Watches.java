package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.MaroonedPodsConfig;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.kubevirt.VmiPhase;
import io.maroonedpods.provisioner.lifecycle.BootSlots;
import io.maroonedpods.provisioner.pool.PoolVm;
import io.maroonedpods.provisioner.vm.DesiredVm;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The secondary watches of the pod controller and how their events find the pod: VMIs by the pod labels we put on
 * them (only in the VMI namespace: a VMI elsewhere, which a tenant could create, is never trusted), nodes by their
 * name {@code maroon-<uid>}, and MaroonedPodsConfig by waking every pod not yet bound (they may be waiting for it).
 * A verified node or a failed VMI frees a boot slot: its event also wakes the pods first in line for one. So does
 * this process's own verification of a node ({@link #slotFreedHere}), without waiting for the node's event.
 *
 * <p>The mappers only find pods. The boot-slot ledger listens to the same VMI and node events beside them
 * ({@link LedgerFed}), and is brought up to date before the mapping reads it.
 */
final class Watches {
    static final String UID_INDEX = "pod-uid";
    /** Pool VMIs by the UID of the pod that claimed them ("" while unclaimed); other VMIs are not indexed. */
    private static final String CLAIMED_BY_INDEX = "claimed-by";

    final InformerEventSource<VirtualMachineInstance, Pod> vmis;
    private final Set<String> notYetObserved = ConcurrentHashMap.newKeySet();
    final InformerEventSource<Node, Pod> nodes;
    final InformerEventSource<MaroonedPodsConfig, Pod> configs;
    private final SimpleInboundEventSource<Pod> slotFreed = new SimpleInboundEventSource<>("slot-freed");
    private final String vmNamespace;
    private final BootLine line;

    /**
     * @param line the boot slots and the pods waiting for one: a freed slot wakes as many waiting pods as there are
     *             free slots, not one (one per event would leave most slots idle in a burst)
     */
    Watches(EventSourceContext<Pod> context, String vmNamespace, BootLine line) {
        this.vmNamespace = vmNamespace;
        this.line = line;
        IndexerResourceCache<Pod> pods = context.getPrimaryCache();
        pods.addIndexer(UID_INDEX, pod -> List.of(pod.getMetadata().getUid()));
        vmis = new LedgerFed<>(
                InformerEventSourceConfiguration.from(VirtualMachineInstance.class, Pod.class)
                        .withName("vmis")
                        .withNamespaces(Set.of(vmNamespace))
                        .withLabelSelector(Names.MANAGED_BY_LABEL + "=" + Names.MANAGED_BY_VALUE)
                        .withSecondaryToPrimaryMapper(
                                vmi -> VmiPhase.FAILED.equals(vmi.phase()) ? withWaiting(podOf(vmi)) : podOf(vmi))
                        .build(),
                context,
                this::observe);
        vmis.addIndexers(Map.of(
                CLAIMED_BY_INDEX,
                vmi -> PoolVm.isPool(vmi)
                        ? List.of(Objects.requireNonNullElse(PoolVm.claimedBy(vmi), ""))
                        : List.of()));
        nodes = new LedgerFed<>(
                InformerEventSourceConfiguration.from(Node.class, Pod.class)
                        .withName("nodes")
                        .withGenericFilter(node ->
                                Names.isMaroonNodeName(node.getMetadata().getName()))
                        .withSecondaryToPrimaryMapper(node -> {
                            Set<ResourceID> owner = byUid(pods, podUidOf(node));
                            return verifiedLabel(node).isEmpty() ? owner : withWaiting(owner);
                        })
                        .build(),
                context,
                this::observe);
        configs = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(MaroonedPodsConfig.class, Pod.class)
                        .withName("config")
                        .withSecondaryToPrimaryMapper(config -> pods.list()
                                .filter(pod -> pod.getSpec().getNodeName() == null)
                                .map(ResourceID::fromResource)
                                .collect(Collectors.toSet()))
                        .build(),
                context);
    }

    List<EventSource<?, Pod>> all() {
        return List.of(vmis, nodes, configs, slotFreed);
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
        return vmis.byIndex(CLAIMED_BY_INDEX, podUid).stream()
                .findFirst()
                .map(vmi -> vmi.getMetadata().getName())
                .orElse(Names.nodeName(podUid));
    }

    /**
     * The unclaimed warm-pool VMIs in the cache, from the claim index: every queued pod's recheck asks, and a scan of
     * all cached VMIs each time would be a pass over a thousand VMIs per pod in a burst. A claim re-reads each from the
     * API first.
     */
    List<VirtualMachineInstance> unclaimedPoolVmis() {
        return vmis.byIndex(CLAIMED_BY_INDEX, "");
    }

    /**
     * Tells the boot-slot ledger how the VM looks now. The sources start concurrently, so a mapper of one can run
     * before the other has a cache to read: such a VM is observed at the first event once both run.
     */
    private void observe(String name) {
        if (!vmis.isRunning() || !nodes.isRunning()) {
            notYetObserved.add(name);
            return;
        }
        for (String waiting : List.copyOf(notYetObserved)) {
            notYetObserved.remove(waiting);
            line.observe(waiting, () -> cacheState(waiting));
        }
        line.observe(name, () -> cacheState(name));
    }

    /** The VM as the caches show it now: absent, holding a boot slot, or booted. */
    private BootSlots.CacheState cacheState(String name) {
        Optional<VirtualMachineInstance> vmi = vmi(name);
        if (vmi.isEmpty()) {
            return BootSlots.CacheState.ABSENT;
        }
        // An available pool VM has finished booting (its node is verified as a pool node) and holds no slot.
        boolean booted = PoolVm.available(vmi.get())
                || node(name).map(n -> !verifiedLabel(n).isEmpty()).orElse(false);
        return booted ? BootSlots.CacheState.BOOTED : BootSlots.CacheState.BOOTING;
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
        return labels == null ? null : labels.get(Names.POD_UID_LABEL);
    }

    static Set<ResourceID> podOf(VirtualMachineInstance vmi) {
        Map<String, String> labels = vmi.getMetadata().getLabels();
        String namespace = labels == null ? null : labels.get(Names.POD_NAMESPACE_LABEL);
        String name = labels == null ? null : DesiredVm.podName(vmi);
        return namespace == null || name == null ? Set.of() : Set.of(new ResourceID(name, namespace));
    }

    /** This process has verified a node, which frees its boot slot: wakes the pods first in line for it. */
    void slotFreedHere() {
        firstInLine().forEach(slotFreed::propagateEvent);
    }

    /** The owner, and the pods first in line for the slots now free. */
    private Set<ResourceID> withWaiting(Set<ResourceID> owner) {
        List<ResourceID> first = firstInLine();
        if (first.isEmpty()) {
            return owner;
        }
        Set<ResourceID> wake = new HashSet<>(owner);
        wake.addAll(first);
        return wake;
    }

    private List<ResourceID> firstInLine() {
        return line.firstInLine();
    }

    private static Set<ResourceID> byUid(IndexerResourceCache<Pod> pods, String uid) {
        return uid == null
                ? Set.of()
                : pods.byIndex(UID_INDEX, uid).stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet());
    }

    /** An informer event source that tells the ledger about each VM it sees change, before mapping the event. */
    private static final class LedgerFed<R extends HasMetadata> extends InformerEventSource<R, Pod> {
        private final Consumer<String> changed;

        LedgerFed(
                InformerEventSourceConfiguration<R> configuration,
                EventSourceContext<Pod> context,
                Consumer<String> changed) {
            super(configuration, context);
            this.changed = changed;
        }

        @Override
        public void onAdd(R resource) {
            changed.accept(resource.getMetadata().getName());
            super.onAdd(resource);
        }

        @Override
        public void onUpdate(R old, R resource) {
            changed.accept(resource.getMetadata().getName());
            super.onUpdate(old, resource);
        }

        @Override
        public void onDelete(R resource, boolean unknownState) {
            changed.accept(resource.getMetadata().getName());
            super.onDelete(resource, unknownState);
        }
    }
}
