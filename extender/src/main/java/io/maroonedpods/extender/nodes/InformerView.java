package io.maroonedpods.extender.nodes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.maroonedpods.api.Names;
import io.maroonedpods.extender.filter.NodeFacts;
import io.maroonedpods.extender.filter.NodeView;
import io.maroonedpods.extender.filter.VmiState;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
            .withGroup("kubevirt.io").withVersion("v1").withKind("VirtualMachineInstance")
            .withPlural("virtualmachineinstances").withNamespaced(true).build();

    private final Map<String, NodeFacts> verified = new ConcurrentHashMap<>();
    private final Map<String, NodeFacts> selfLabelled = new ConcurrentHashMap<>();
    private final Map<String, NodeFacts> pool = new ConcurrentHashMap<>();
    private final Map<String, VmiState> vmisByPodUid = new ConcurrentHashMap<>();
    private final List<SharedIndexInformer<Node>> nodeInformers;
    private final SharedIndexInformer<GenericKubernetesResource> vmiInformer;

    private InformerView(KubernetesClient client, String vmNamespace, String taintKey) {
        Function<Node, NodeFacts> facts = node -> NodeFactsOf.of(node, taintKey);
        nodeInformers = List.of(
                nodeInformer(client, Names.VERIFIED_POD_UID_LABEL, verified, facts),
                nodeInformer(client, Names.NODE_POD_UID_LABEL, selfLabelled, facts),
                nodeInformer(client, Names.POOL_LABEL, pool, facts));
        vmiInformer = client.genericKubernetesResources(VMI).inNamespace(vmNamespace).runnableInformer(0);
        vmiInformer.addEventHandler(handler(vmisByPodUid, InformerView::podUidOfVmi, VmiStateOf::of));
    }

    /** Starts the informers without waiting for them; {@link #synced()} says when the node caches are complete. */
    public static InformerView start(KubernetesClient client, String vmNamespace, String taintKey) {
        InformerView view = new InformerView(client, vmNamespace, taintKey);
        view.nodeInformers.forEach(SharedIndexInformer::start);
        view.vmiInformer.start().whenComplete((ignored, failure) -> {
            if (failure != null) {
                // Reasons then lack the VMI phase; filtering itself does not depend on VMIs.
                LOG.log(Level.WARNING, "VMI informer on namespace " + vmNamespace + " did not start: "
                        + failure.getMessage());
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
        NodeFacts facts = verified.get(name);
        if (facts == null) {
            facts = selfLabelled.get(name);
        }
        return facts != null ? facts : pool.get(name);
    }

    @Override
    public VmiState vmiOf(String podUid) {
        return podUid == null ? null : vmisByPodUid.get(podUid);
    }

    /** How many distinct dedicated nodes are cached (for the metrics; computed only when scraped). */
    public int cachedNodes() {
        Set<String> names = new HashSet<>(verified.keySet());
        names.addAll(selfLabelled.keySet());
        names.addAll(pool.keySet());
        return names.size();
    }

    @Override
    public void close() {
        nodeInformers.forEach(SharedIndexInformer::close);
        vmiInformer.close();
    }

    private static SharedIndexInformer<Node> nodeInformer(KubernetesClient client, String label,
            Map<String, NodeFacts> target, Function<Node, NodeFacts> facts) {
        SharedIndexInformer<Node> informer = client.nodes().withLabel(label).runnableInformer(0);
        informer.addEventHandler(handler(target, node -> node.getMetadata().getName(), facts));
        return informer;
    }

    private static String podUidOfVmi(GenericKubernetesResource vmi) {
        Map<String, String> labels = vmi.getMetadata().getLabels();
        String uid = labels == null ? null : labels.get(Names.POD_UID_LABEL);
        if (uid == null && Names.isMaroonNodeName(vmi.getMetadata().getName())) {
            uid = vmi.getMetadata().getName().substring(Names.NODE_PREFIX.length());
        }
        return uid;
    }

    private static <T extends HasMetadata, V> ResourceEventHandler<T> handler(Map<String, V> target,
            Function<T, String> key, Function<T, V> value) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                put(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                put(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                String k = key.apply(obj);
                if (k != null) {
                    target.remove(k);
                }
            }

            private void put(T obj) {
                String k = key.apply(obj);
                if (k != null) {
                    target.put(k, value.apply(obj));
                }
            }
        };
    }
}
