package io.maroonedpods.simulator.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * The pod and node informers the simulated schedulers read, one pair for all of them, as the profiles of one
 * kube-scheduler share one informer factory. A pair per simulated scheduler decoded every pod and node event once
 * more; in the 1,000-pod burst that was a third of the events the simulator's own client decodes. Each scheduler
 * still keeps its own queue and decides alone.
 */
public final class SchedulerCaches implements AutoCloseable {
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Node> nodes;

    private SchedulerCaches(SharedIndexInformer<Pod> pods, SharedIndexInformer<Node> nodes) {
        this.pods = pods;
        this.nodes = nodes;
    }

    /** Starts both informers and returns once their first lists are in. */
    public static SchedulerCaches start(KubernetesClient client) {
        SharedIndexInformer<Node> nodes = client.nodes().inform();
        try {
            return new SchedulerCaches(client.pods().inAnyNamespace().inform(), nodes);
        } catch (RuntimeException e) {
            nodes.close();
            throw e;
        }
    }

    SharedIndexInformer<Pod> pods() {
        return pods;
    }

    SharedIndexInformer<Node> nodes() {
        return nodes;
    }

    @Override
    public void close() {
        pods.close();
        nodes.close();
    }
}
