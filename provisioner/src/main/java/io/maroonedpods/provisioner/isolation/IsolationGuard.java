package io.maroonedpods.provisioner.isolation;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.provisioner.PodWatch;
import io.maroonedpods.provisioner.apply.Apply;
import io.maroonedpods.provisioner.events.EventPublisher;
import io.maroonedpods.provisioner.observe.ProvisionerMetrics;
import io.maroonedpods.provisioner.pool.PoolQuarantine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reacts to every pod bound to a {@code maroon-*} node ({@link StrangerWatch}), on every such node — a pod's own VM
 * whether verified or not, warm-pool nodes claimed or not, a forged name — and removes each stranger ({@link
 * Isolation}) at once: deleted with grace period 0, terminating or not, so that a grace period the stranger chose
 * cannot keep it there. A warm-pool VM that held a stranger before its claim was complete is destroyed and never
 * claimed ({@link PoolQuarantine}). A failed removal is tried again after 1 s, doubling to 30 s, while the pod is
 * still there; {@link #recheckAll} (with the sweep) is the safety net for anything missed.
 */
public final class IsolationGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IsolationGuard.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final PodWatch podWatch;
    private final List<String> allowedDaemonSets;
    private final StrangerReport report;
    private final ProvisionerMetrics metrics;
    private final PoolQuarantine quarantine;
    private final String vmNamespace;
    private final Apply apply;
    /** One thread: a pod is never looked at twice at once, and each removal is a few milliseconds of API calls. */
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "isolation-guard");
        thread.setDaemon(true);
        return thread;
    });

    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> firstSeenNanos = new ConcurrentHashMap<>();
    private final StrangerWatch watch;

    private IsolationGuard(
            KubernetesClient client,
            String vmNamespace,
            PodWatch podWatch,
            List<String> allowedDaemonSets,
            EventPublisher events,
            ProvisionerMetrics metrics,
            PoolQuarantine quarantine) {
        this.client = client;
        this.podWatch = podWatch;
        this.allowedDaemonSets = allowedDaemonSets;
        this.report = new StrangerReport(client, vmNamespace, events);
        this.vmNamespace = vmNamespace;
        this.metrics = metrics;
        this.quarantine = quarantine;
        this.apply = new Apply(client);
        this.watch = StrangerWatch.start(podWatch.boundPods(client), this::changed);
    }

    /** Starts watching the pods on dedicated nodes; {@link #close} stops it. */
    public static IsolationGuard start(
            KubernetesClient client,
            String vmNamespace,
            PodWatch podWatch,
            List<String> allowedDaemonSets,
            EventPublisher events,
            ProvisionerMetrics metrics,
            PoolQuarantine quarantine) {
        return new IsolationGuard(client, vmNamespace, podWatch, allowedDaemonSets, events, metrics, quarantine);
    }

    /** Whether the watch is connected (readiness). */
    public boolean watching() {
        return watch.watching();
    }

    /** Every pod on a dedicated node, looked at again from the watch's cache (no API read unless one is a stranger). */
    public void recheckAll() {
        watch.pods().forEach(this::changed);
    }

    /**
     * Whether a pod other than {@code claimerUid}'s (and not allowed there) is on the node now, as the API server has
     * it: a claim asks before it hands a warm-pool node to a pod.
     */
    public boolean strangerOn(String nodeName, String claimerUid) {
        return strangerOn(client, podWatch, allowedDaemonSets, nodeName, claimerUid);
    }

    /** {@link #strangerOn(String, String)} without a running guard. */
    public static boolean strangerOn(
            KubernetesClient client,
            PodWatch podWatch,
            List<String> allowedDaemonSets,
            String nodeName,
            String claimerUid) {
        return podWatch.podsOn(client, nodeName).stream()
                .anyMatch(pod -> Isolation.standing(pod, claimerUid, allowedDaemonSets) == Isolation.Standing.STRANGER);
    }

    private void changed(Pod pod) {
        String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        firstSeenNanos.putIfAbsent(key, System.nanoTime());
        submit("pod " + key, () -> check(key), 0);
    }

    /**
     * Runs {@code work} on the guard's thread, once even if asked for again meanwhile; an API error runs it again after
     * 1 s, doubling to 30 s, until it succeeds or the guard closes.
     */
    private void submit(String task, Runnable work, int failedBefore) {
        if (!queued.add(task)) {
            return;
        }
        long delay = failedBefore == 0
                ? 0
                : Math.min(LAST_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(failedBefore - 1, 5));
        try {
            executor.schedule(
                    () -> {
                        queued.remove(task);
                        try {
                            work.run();
                        } catch (KubernetesClientException e) {
                            LOG.warn("isolation guard: {} failed ({}); trying again", task, e.getMessage());
                            submit(task, work, failedBefore + 1);
                        } catch (RuntimeException e) {
                            LOG.error("isolation guard: {} failed; the next event or sweep looks again", task, e);
                        }
                    },
                    delay,
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            queued.remove(task); // closing
        }
    }

    /** The pod as the watch has it now: removed if it is a stranger; its warm-pool VM destroyed if it had no owner. */
    private void check(String key) {
        String[] parts = key.split("/", 2);
        Pod pod = watch.current(parts[0], parts[1]);
        if (pod == null || !Isolation.onDedicatedNode(pod)) {
            firstSeenNanos.remove(key);
            return;
        }
        String nodeName = pod.getSpec().getNodeName();
        Node node = NodeOwner.needsNode(nodeName)
                ? client.nodes().withName(nodeName).get()
                : null;
        if (NodeOwner.needsNode(nodeName)
                && node == null
                && KubeVirt.vmis(client, vmNamespace).withName(nodeName).get() == null) {
            // A warm-pool name whose VM and Node are both gone (a claimed VM that was lost: its pod was failed,
            // VmLost):
            // nothing runs there or ever will and nothing is left to destroy; the pod garbage collector removes the
            // pod.
            firstSeenNanos.remove(key);
            return;
        }
        NodeOwner owner = NodeOwner.of(nodeName, node);
        if (Isolation.standing(pod, owner.ownerUid(), allowedDaemonSets) != Isolation.Standing.STRANGER) {
            firstSeenNanos.remove(key);
            return;
        }
        if (owner.kind() == NodeOwner.Kind.POOL) {
            // A task of its own: it must finish even once the stranger is gone.
            submit("destroy of warm-pool VM " + nodeName, () -> destroyPoolVm(nodeName, key), 0);
        }
        if (Isolation.awaitsRemoval(pod) && remove(pod)) {
            Long seen = firstSeenNanos.get(key);
            metrics.strangerRemoved(owner.metricLabel(), Duration.ofNanos(seen == null ? 0 : System.nanoTime() - seen));
            report.removed(pod, owner);
        }
        firstSeenNanos.remove(key);
    }

    private void destroyPoolVm(String nodeName, String stranger) {
        List<String> destroyed = quarantine.destroy(nodeName);
        if (!destroyed.isEmpty()) {
            metrics.tornDown("held_stranger");
            LOG.warn(
                    "warm-pool VM {} held stranger pod {}: destroyed ({})",
                    nodeName,
                    stranger,
                    String.join(", ", destroyed));
        }
    }

    /**
     * Deleted with grace period 0: true when this call removed it, false when it was gone already. By name, without
     * a precondition: the watch's copy was current milliseconds ago; a pod recreated under the same name within them
     * would be deleted too.
     */
    private boolean remove(Pod pod) {
        return apply.delete(client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .withGracePeriod(0));
    }

    @Override
    public void close() {
        watch.close();
        executor.shutdownNow();
    }
}
