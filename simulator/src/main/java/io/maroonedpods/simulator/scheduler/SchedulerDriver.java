package io.maroonedpods.simulator.scheduler;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.maroonedpods.simulator.scheduler.ExtenderClient.ExtenderException;
import io.maroonedpods.simulator.scheduler.SchedulerEvents.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Behaves like kube-scheduler for one profile: watches pods and nodes, keeps the {@link SchedulingQueue}, runs one
 * scheduling cycle at a time (own filters, then the extender's filter, prioritize unless one node is left), and
 * binds asynchronously (through the extender's bind verb when it has one, else the pods/binding API). Every
 * rejection is a FailedScheduling Event on the pod.
 */
public final class SchedulerDriver implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SchedulerDriver.class.getName());
    private static final Duration MAX_IN_UNSCHEDULABLE = Duration.ofMinutes(5);

    private final KubernetesClient client;
    private final SchedulerProfile profile;
    private final ExtenderClient extender;
    private final Clock clock;
    private final Random random;
    private final SchedulingRecord record;
    private final SchedulerEvents events;
    private final SchedulingQueue queue;
    /** UIDs of pods this driver bound: the informer may still show them pending for a moment. */
    private final Set<String> bound = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final ExecutorService binder = Executors.newFixedThreadPool(4, r -> daemon(r, "binder"));
    private final Thread loop;
    private final SchedulerCaches caches;
    private final ResourceEventHandler<Node> nodeHandler = handler(n -> {}, n -> {});
    private final ResourceEventHandler<Pod> podHandler = handler(this::podChanged, this::podDeleted);
    /** The filters' facts of each node as of the last attempt (only the scheduling loop's thread uses them). */
    private Map<String, NodeFilters.Facts> nodeFacts = Map.of();

    private volatile boolean running = true;

    /** @param caches informers other drivers may read too: closing this driver leaves them running */
    public SchedulerDriver(
            KubernetesClient client,
            SchedulerCaches caches,
            SchedulerProfile profile,
            ExtenderClient extender,
            Clock clock,
            long seed,
            SchedulingRecord record) {
        this.client = client;
        this.caches = caches;
        this.profile = profile;
        this.extender = extender;
        this.clock = clock;
        this.random = new Random(seed);
        this.record = record;
        this.events = new SchedulerEvents(client, profile.schedulerName(), clock);
        this.queue = new SchedulingQueue(profile.initialBackoff(), profile.maxBackoff(), MAX_IN_UNSCHEDULABLE);
        this.loop = daemon(this::run, "scheduler-" + profile.schedulerName());
    }

    public SchedulerDriver start() {
        // Handlers added to running informers get every cached object as an add first.
        caches.nodes().addEventHandler(nodeHandler);
        caches.pods().addEventHandler(podHandler);
        loop.start();
        return this;
    }

    /** Every add, update and delete is also a cluster event that wakes rejected pods. */
    private <T> ResourceEventHandler<T> handler(
            java.util.function.Consumer<T> onChange, java.util.function.Consumer<T> onDelete) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                changed(object, onChange);
            }

            @Override
            public void onUpdate(T oldObject, T newObject) {
                changed(newObject, onChange);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                changed(object, onDelete);
            }
        };
    }

    private <T> void changed(T object, java.util.function.Consumer<T> onChange) {
        synchronized (queue) {
            onChange.accept(object);
            queue.clusterEvent(clock.instant());
            queue.notifyAll();
        }
    }

    private void podChanged(Pod pod) {
        String key = Cache.metaNamespaceKeyFunc(pod);
        if (isMine(pod) && isPending(pod) && !bound.contains(pod.getMetadata().getUid())) {
            queue.upsert(key, isGated(pod), clock.instant());
        } else {
            queue.remove(key);
        }
    }

    private void podDeleted(Pod pod) {
        queue.remove(Cache.metaNamespaceKeyFunc(pod));
    }

    private boolean isMine(Pod pod) {
        String name = pod.getSpec() == null ? null : pod.getSpec().getSchedulerName();
        return profile.schedulerName().equals(name == null ? "default-scheduler" : name);
    }

    static boolean isPending(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return (pod.getSpec().getNodeName() == null
                        || pod.getSpec().getNodeName().isEmpty())
                && pod.getMetadata().getDeletionTimestamp() == null
                && !"Succeeded".equals(phase)
                && !"Failed".equals(phase);
    }

    static boolean isGated(Pod pod) {
        return pod.getSpec().getSchedulingGates() != null
                && !pod.getSpec().getSchedulingGates().isEmpty();
    }

    private void run() {
        while (running) {
            Optional<String> next;
            synchronized (queue) {
                next = queue.pop(clock.instant());
                if (next.isEmpty()) {
                    long waitMillis = queue.nextWakeup()
                            .map(t -> Math.max(
                                    1, Duration.between(clock.instant(), t).toMillis()))
                            .orElse(1000L);
                    try {
                        queue.wait(Math.min(waitMillis, 1000L));
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
            }
            try {
                scheduleOne(next.get());
            } catch (RuntimeException e) {
                fail(next.get(), null, "scheduling cycle failed: " + e.getMessage(), false);
            }
        }
    }

    private void scheduleOne(String key) {
        Pod pod = caches.pods().getIndexer().getByKey(key);
        if (pod == null || !isPending(pod) || isGated(pod)) {
            synchronized (queue) {
                queue.remove(key);
            }
            return;
        }
        List<Node> all = caches.nodes().getIndexer().list();
        NodeFilters.Outcome filtered = NodeFilters.filter(pod, all, nodeFacts);
        nodeFacts = filtered.facts();
        if (filtered.preFilterFailure() != null) {
            fail(key, pod, FailureMessage.preFilter(all.size(), filtered.preFilterFailure()), true);
            return;
        }
        Map<String, String> reasons = new HashMap<>(filtered.reasons());
        List<Node> feasible = filtered.feasible();
        List<Node> passing = feasible;
        if (!feasible.isEmpty() && extender != null) {
            try {
                passing = ExtenderAnswers.passing(extender, pod, feasible, reasons);
            } catch (ExtenderException e) {
                fail(key, pod, e.getMessage(), false);
                return;
            }
        }
        if (passing.isEmpty()) {
            fail(key, pod, FailureMessage.of(all.size(), reasons), true);
            return;
        }
        String host = passing.size() == 1 ? passing.get(0).getMetadata().getName() : select(pod, passing);
        binder.submit(() -> bind(key, pod, host));
    }

    /** Highest extender score wins (kube-scheduler scales 0..10 to 0..100 and applies the weight); ties at random. */
    private String select(Pod pod, List<Node> candidates) {
        Map<String, Integer> scores = Map.of();
        if (extender != null && !extender.settings().prioritizeVerb().isEmpty()) {
            try {
                scores = extender.prioritize(pod, candidates);
            } catch (ExtenderException e) {
                LOG.fine(() -> "prioritize failed (ignored, as kube-scheduler does): " + e.getMessage());
            }
        }
        List<String> best = ExtenderAnswers.highestScored(
                candidates, scores, extender == null ? 1 : extender.settings().weight());
        synchronized (random) {
            return best.get(random.nextInt(best.size()));
        }
    }

    private void bind(String key, Pod pod, String host) {
        try {
            if (extender != null && !extender.settings().bindVerb().isEmpty()) {
                extender.bind(pod, host);
            } else {
                client.bindings()
                        .inNamespace(pod.getMetadata().getNamespace())
                        .resource(new BindingBuilder()
                                .withNewMetadata()
                                .withName(pod.getMetadata().getName())
                                .withUid(pod.getMetadata().getUid())
                                .endMetadata()
                                .withNewTarget()
                                .withKind("Node")
                                .withName(host)
                                .endTarget()
                                .build())
                        .create();
            }
        } catch (ExtenderException | RuntimeException e) {
            fail(key, pod, "Binding rejected: " + e.getMessage(), false);
            return;
        }
        bound.add(pod.getMetadata().getUid());
        synchronized (queue) {
            queue.succeeded(key);
        }
        record.scheduled();
        events.publish(pod, Reason.Scheduled, "Successfully assigned " + key + " to " + host);
    }

    private void fail(String key, Pod pod, String message, boolean unschedulable) {
        synchronized (queue) {
            queue.failed(key, unschedulable, clock.instant());
            queue.notifyAll();
        }
        record.failedScheduling(message);
        if (pod != null) {
            events.publish(pod, Reason.FailedScheduling, message);
        }
    }

    @Override
    public void close() {
        running = false;
        loop.interrupt();
        binder.shutdownNow();
        try {
            binder.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        caches.pods().removeEventHandler(podHandler);
        caches.nodes().removeEventHandler(nodeHandler);
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Where a pod is in this driver's queue, for tests and the progress line. */
    public Optional<SchedulingQueue.Where> where(String namespace, String name) {
        synchronized (queue) {
            return queue.where(namespace + "/" + name);
        }
    }

    public Instant now() {
        return clock.instant();
    }
}
