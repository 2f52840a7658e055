package io.maroonedpods.testcluster.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * kube-controller-manager's node lifecycle controller, for the not-ready taints only ({@link LifecycleTaints}): the
 * NoSchedule one on every node event, the NoExecute one every {@link #MONITOR_PERIOD}. Writes carry the node's
 * resourceVersion; a conflict waits for the next event or pass, as the real controller's retry does.
 */
public final class SimulatedNodeLifecycle implements AutoCloseable {
    /** kube-controller-manager's {@code --node-monitor-period} default. */
    public static final Duration MONITOR_PERIOD = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(SimulatedNodeLifecycle.class.getName());

    private final KubernetesClient client;
    private final SharedIndexInformer<Node> informer;
    private final ScheduledFuture<?> passes;

    public SimulatedNodeLifecycle(KubernetesClient client, ScheduledExecutorService timers, Duration period) {
        this.client = client;
        this.informer = client.nodes()
                .inform(
                        new ResourceEventHandler<>() {
                            @Override
                            public void onAdd(Node node) {
                                apply(node, LifecycleTaints::onEvent);
                            }

                            @Override
                            public void onUpdate(Node oldNode, Node node) {
                                apply(node, LifecycleTaints::onEvent);
                            }

                            @Override
                            public void onDelete(Node node, boolean unknown) {}
                        },
                        0);
        long millis = period.toMillis();
        this.passes = timers.scheduleAtFixedRate(
                () -> informer.getStore().list().forEach(node -> apply(node, LifecycleTaints::onPass)),
                millis,
                millis,
                TimeUnit.MILLISECONDS);
    }

    private void apply(Node node, Function<Node, List<Taint>> rule) {
        List<Taint> desired = rule.apply(node);
        if (desired.equals(LifecycleTaints.taints(node))) {
            return;
        }
        try {
            client.nodes()
                    .resource(new NodeBuilder(node)
                            .editSpec()
                            .withTaints(desired)
                            .endSpec()
                            .build())
                    .update();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 404) {
                LOG.warning("node lifecycle: could not update the taints of "
                        + node.getMetadata().getName() + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        passes.cancel(false);
        informer.close();
    }
}
