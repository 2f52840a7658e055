package io.maroonedpods.e2e.support;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.OptIn;
import io.maroonedpods.testcluster.kubevirt.SimulatedKubeVirt;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * When each step of each maroon pod's flow was seen, from the suite's own watches of the real API server (so every
 * time is measured the same way, in milliseconds since the timeline started): pod created, VMI created, node
 * registered, node Ready, node verified, scheduling gate removed, pod bound.
 */
public final class FlowTimeline implements AutoCloseable {
    private final long start = System.nanoTime();
    private final Map<String, PodFlow> byUid = new ConcurrentHashMap<>();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

    /** One pod's flow; a step not seen yet is -1. */
    public static final class PodFlow {
        public volatile String name;
        public final String uid;
        public volatile long created = -1;
        public volatile long vmiCreated = -1;
        public volatile long nodeRegistered = -1;
        public volatile long nodeReady = -1;
        public volatile long verified = -1;
        public volatile long ungated = -1;
        public volatile long bound = -1;
        public volatile String node = "";
        private volatile boolean gated;
        private final java.util.Set<String> vmiUids = ConcurrentHashMap.newKeySet();

        PodFlow(String name, String uid) {
            this.name = name;
            this.uid = uid;
        }

        /** True when the pod was seen with a scheduling gate (gated mode's admission policy added it). */
        public boolean wasGated() {
            return gated;
        }

        /** How many VMIs were ever created for this pod (a duplicate is a bug; a retry after a failure is not). */
        public int vmisCreated() {
            return vmiUids.size();
        }
    }

    private FlowTimeline(KubernetesClient client, String namespace, String vmNamespace) {
        informers.add(client.pods().inNamespace(namespace).inform(handler(this::sawPod), 0));
        informers.add(client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                .inNamespace(vmNamespace)
                .inform(handler(this::sawVmi), 0));
        informers.add(client.nodes().inform(handler(this::sawNode), 0));
    }

    public static FlowTimeline start(KubernetesClient client, String namespace, String vmNamespace) {
        return new FlowTimeline(client, namespace, vmNamespace);
    }

    public Collection<PodFlow> pods() {
        return byUid.values();
    }

    public long boundCount() {
        return byUid.values().stream().filter(f -> f.bound >= 0).count();
    }

    private long now() {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private PodFlow flow(String name, String uid) {
        return byUid.computeIfAbsent(uid, u -> new PodFlow(name, u));
    }

    private void sawPod(Pod pod) {
        if (!OptIn.isMaroon(pod)) {
            return;
        }
        PodFlow flow = flow(pod.getMetadata().getName(), pod.getMetadata().getUid());
        flow.name = pod.getMetadata().getName();
        long now = now();
        if (flow.created < 0) {
            flow.created = now;
        }
        boolean gated = pod.getSpec().getSchedulingGates() != null
                && !pod.getSpec().getSchedulingGates().isEmpty();
        if (gated) {
            flow.gated = true;
        } else if (flow.gated && flow.ungated < 0) {
            flow.ungated = now;
        }
        String node = pod.getSpec().getNodeName();
        if (node != null && !node.isEmpty() && flow.bound < 0) {
            flow.bound = now;
            flow.node = node;
        }
    }

    private void sawVmi(GenericKubernetesResource vmi) {
        String uid = vmi.getMetadata().getLabels() == null
                ? null
                : vmi.getMetadata().getLabels().get(Names.POD_UID_LABEL);
        if (uid != null && !uid.isEmpty()) {
            PodFlow flow = flow("?", uid);
            flow.vmiUids.add(vmi.getMetadata().getUid());
            if (flow.vmiCreated < 0) {
                flow.vmiCreated = now();
            }
        }
    }

    private void sawNode(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels() == null
                ? Map.of()
                : node.getMetadata().getLabels();
        String verifiedFor = labels.get(Names.VERIFIED_POD_UID_LABEL);
        String uid = verifiedFor != null ? verifiedFor : labels.get(Names.POD_UID_LABEL);
        if (uid == null || uid.isEmpty() || !byUid.containsKey(uid)) {
            return;
        }
        PodFlow flow = byUid.get(uid);
        long now = now();
        if (flow.nodeRegistered < 0) {
            flow.nodeRegistered = now;
        }
        if (verifiedFor != null && flow.verified < 0) {
            flow.verified = now;
        }
        boolean ready = node.getStatus() != null
                && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        if (ready && flow.nodeReady < 0) {
            flow.nodeReady = now;
        }
    }

    /** Node Ready → pod bound, in milliseconds, of every pod whose node turned Ready before it was bound. */
    public List<Long> readyToBound() {
        return byUid.values().stream()
                .filter(f -> f.nodeReady >= 0 && f.bound >= f.nodeReady)
                .map(f -> f.bound - f.nodeReady)
                .sorted()
                .toList();
    }

    /** The per-pod table, times in seconds since the timeline started. */
    public String table() {
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "%-28s %8s %8s %8s %8s %8s %8s %8s  %s%n",
                "pod",
                "created",
                "vmi",
                "node",
                "ready",
                "verified",
                "ungated",
                "bound",
                "node name"));
        byUid.values().stream()
                .sorted(java.util.Comparator.comparingLong(f -> f.created))
                .forEach(f -> out.append(String.format(
                        Locale.ROOT,
                        "%-28s %8s %8s %8s %8s %8s %8s %8s  %s%n",
                        f.name,
                        s(f.created),
                        s(f.vmiCreated),
                        s(f.nodeRegistered),
                        s(f.nodeReady),
                        s(f.verified),
                        s(f.ungated),
                        s(f.bound),
                        f.node)));
        List<Long> readyToBound = readyToBound();
        if (!readyToBound.isEmpty()) {
            out.append(String.format(
                    Locale.ROOT,
                    "node Ready -> bound: median %d ms, max %d ms over %d pods%n",
                    readyToBound.get(readyToBound.size() / 2),
                    readyToBound.get(readyToBound.size() - 1),
                    readyToBound.size()));
        }
        return out.toString();
    }

    private static String s(long millis) {
        return millis < 0 ? "-" : String.format(Locale.ROOT, "%.2f", millis / 1000.0);
    }

    private static <T> ResourceEventHandler<T> handler(Consumer<T> seen) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                seen.accept(object);
            }

            @Override
            public void onUpdate(T oldObject, T object) {
                seen.accept(object);
            }

            @Override
            public void onDelete(T object, boolean unknown) {}
        };
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
    }
}
