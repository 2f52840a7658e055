package io.maroonedpods.extender.nodes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.maroonedpods.api.Names;
import io.maroonedpods.extender.filter.NodeFacts;
import io.maroonedpods.extender.filter.NodeView;
import io.maroonedpods.extender.filter.VmiState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The extender's picture of the cluster, from informers that watch only MaroonedPods objects, so memory grows with
 * dedicated nodes, not with the cluster. A label selector cannot express "has label A or label B", so there is one
 * node informer per label a dedicated node may carry: the verified label (the only one that lets a maroon pod pass,
 * so its informer is consulted first) and the two labels nodes set on themselves (pod-uid, pool), which keep other
 * pods off nodes still waiting for verification. A name no informer knows is an ordinary node.
 */
public final class InformerView implements NodeView, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(InformerView.class.getName());
    private static final ResourceDefinitionContext VMI = new ResourceDefinitionContext.Builder()
            .withGroup("kubevirt.io")
            .withVersion("v1")
            .withKind("VirtualMachineInstance")
            .withPlural("virtualmachineinstances")
            .withNamespaced(true)
            .build();

    /**
     * Objects per list page. The client buffers a whole page as bytes and then as objects, and the JDK HTTP client
     * keeps the last answer of each connection reachable: at 3-15 KB per real Node, 100 keep that under 2 MB per
     * informer where 500 would take up to 8 MB (the sidecar's heap is 64 MB).
     */
    static final long LIST_PAGE = 100;

    private final Map<String, NodeFacts> verified = new ConcurrentHashMap<>();
    private final Map<String, NodeFacts> selfLabelled = new ConcurrentHashMap<>();
    private final Map<String, NodeFacts> pool = new ConcurrentHashMap<>();
    /** Per name, the facts the three maps hold, verified first: one lookup per candidate instead of three. */
    private final Map<String, NodeFacts> merged = new ConcurrentHashMap<>();

    private final Map<String, VmiState> vmisByPodUid = new ConcurrentHashMap<>();
    /** Every name {@link #merged} holds (and some it no longer does); replaced, under the lock, when full. */
    private volatile NameFilter names = NameFilter.sizedFor(0);
    /** How many names {@link #merged} holds that are not {@code maroon-…}; written under the lock. */
    private volatile int namedOtherwise;

    private final Object mergeLock = new Object();
    private final List<SharedIndexInformer<Node>> nodeInformers;
    private final SharedIndexInformer<GenericKubernetesResource> vmiInformer;

    private InformerView(KubernetesClient client, String vmNamespace, String taintKey) {
        Function<Node, NodeFacts> facts = node -> NodeFactsOf.of(node, taintKey);
        nodeInformers = List.of(
                nodeInformer(client, Names.VERIFIED_POD_UID_LABEL, verified, facts),
                nodeInformer(client, Names.POD_UID_LABEL, selfLabelled, facts),
                nodeInformer(client, Names.POOL_LABEL, pool, facts));
        vmiInformer = client.genericKubernetesResources(VMI)
                .inNamespace(vmNamespace)
                .withLimit(LIST_PAGE)
                .runnableInformer(0)
                .removeNamespaceIndex()
                .itemStore(new StubStore<>(
                        Names.POD_UID_LABEL,
                        InformerView::vmiWith,
                        vmi -> putIfKeyed(vmisByPodUid, podUidOfVmi(vmi), VmiStateOf.of(vmi)),
                        stub -> removeIfKeyed(vmisByPodUid, podUidOfVmi(stub))));
    }

    /** Starts the informers without waiting for them; {@link #synced()} says when the node caches are complete. */
    public static InformerView start(KubernetesClient client, String vmNamespace, String taintKey) {
        InformerView view = new InformerView(client, vmNamespace, taintKey);
        view.nodeInformers.forEach(informer -> informer.start().whenComplete((ignored, failure) -> {
            if (failure != null) {
                // Not fatal: the informer keeps retrying; /readyz stays 503 until it has listed the nodes.
                LOG.log(Level.WARNING, "node informer did not start: " + failure.getMessage());
            }
        }));
        view.vmiInformer.start().whenComplete((ignored, failure) -> {
            if (failure != null) {
                // Reasons then lack the VMI phase; filtering itself does not depend on VMIs.
                LOG.log(
                        Level.WARNING,
                        "VMI informer on namespace " + vmNamespace + " did not start: " + failure.getMessage());
            }
        });
        return view;
    }

    /** True once every node informer has listed its nodes; the VMI cache only enriches reasons and is not waited for. */
    public boolean synced() {
        return nodeInformers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    @Override
    public NodeFacts dedicatedNode(String name) {
        return merged.get(name);
    }

    @Override
    public boolean mayHoldNode(int nameHash) {
        return names.mightContain(nameHash);
    }

    /**
     * Called after any node map changed for this name (each informer updates its store from one thread). Under one
     * lock for the three informers: a name enters the filter before the merged map, and a rebuild of the filter from
     * the map's names cannot miss a name being added.
     */
    private void remerge(String name) {
        synchronized (mergeLock) {
            NodeFacts facts = verified.get(name);
            if (facts == null) {
                facts = selfLabelled.get(name);
            }
            if (facts == null) {
                facts = pool.get(name);
            }
            if (facts == null) {
                if (merged.remove(name) != null && !Names.isMaroonNodeName(name)) {
                    namedOtherwise--;
                }
                return;
            }
            if (!merged.containsKey(name)) {
                names = names.with(name, merged.keySet());
                if (!Names.isMaroonNodeName(name)) {
                    // Before the node enters the map: a request that finds it there also hashes names like it.
                    namedOtherwise++;
                }
            }
            merged.put(name, facts);
        }
    }

    @Override
    public boolean holdsNodesNamedOtherwise() {
        return namedOtherwise > 0;
    }

    @Override
    public VmiState vmiOf(String podUid) {
        return podUid == null ? null : vmisByPodUid.get(podUid);
    }

    /** How many distinct dedicated nodes are cached (for the metrics). */
    public int cachedNodes() {
        return merged.size();
    }

    @Override
    public void close() {
        nodeInformers.forEach(SharedIndexInformer::close);
        vmiInformer.close();
    }

    private SharedIndexInformer<Node> nodeInformer(
            KubernetesClient client, String label, Map<String, NodeFacts> target, Function<Node, NodeFacts> facts) {
        // Paged initial list: a page of Nodes at a time, not 10,000 of them deserialized at once. No namespace index:
        // Nodes have no namespace, and nothing of ours looks the store up by index (it would hold every key again).
        return client.nodes()
                .withLabel(label)
                .withLimit(LIST_PAGE)
                .runnableInformer(0)
                .removeNamespaceIndex()
                .itemStore(new StubStore<>(
                        null,
                        meta -> new NodeBuilder().withMetadata(meta).build(),
                        node -> {
                            String name = node.getMetadata().getName();
                            target.put(name, shared(facts.apply(node), merged.get(name)));
                            remerge(name);
                        },
                        stub -> {
                            target.remove(stub.getMetadata().getName());
                            remerge(stub.getMetadata().getName());
                        }));
    }

    /**
     * A verified node also carries the self label, so two informers see it: keep one copy of equal facts (and of
     * their strings) instead of one per informer.
     */
    private static NodeFacts shared(NodeFacts fresh, NodeFacts cached) {
        return fresh.equals(cached) ? cached : fresh;
    }

    private static GenericKubernetesResource vmiWith(ObjectMeta meta) {
        GenericKubernetesResource vmi = new GenericKubernetesResource();
        vmi.setMetadata(meta);
        return vmi;
    }

    private static <V> void putIfKeyed(Map<String, V> map, String key, V value) {
        if (key != null) {
            map.put(key, value);
        }
    }

    private static <V> void removeIfKeyed(Map<String, V> map, String key) {
        if (key != null) {
            map.remove(key);
        }
    }

    private static String podUidOfVmi(GenericKubernetesResource vmi) {
        Map<String, String> labels = vmi.getMetadata().getLabels();
        String uid = labels == null ? null : labels.get(Names.POD_UID_LABEL);
        if (uid == null && Names.isMaroonNodeName(vmi.getMetadata().getName())) {
            uid = vmi.getMetadata().getName().substring(Names.NODE_PREFIX.length());
        }
        return uid;
    }
}
