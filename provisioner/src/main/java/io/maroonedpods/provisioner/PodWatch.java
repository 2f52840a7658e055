package io.maroonedpods.provisioner;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.OptIn;
import java.util.List;
import java.util.Locale;

/**
 * Which pods the provisioner watches. A label selector cannot say "schedulerName is maroon-scheduler", and watching
 * every pod of a large cluster costs memory (the informer caches each one), so the choice follows the scheduling mode:
 *
 * <ul>
 *   <li>{@link #SCHEDULER_NAME} (default, secondary-scheduler mode): field selector
 *       {@code spec.schedulerName=<the configured scheduler name>}, which the API server supports for pods; only
 *       maroon pods reach the cache.</li>
 *   <li>{@link #LABEL} (main-scheduler mode): label selector {@code maroonedpods.io/maroon=true}.</li>
 *   <li>{@link #ALL_PODS}: every pod, filtered by {@link OptIn#isMaroon} in the process: both opt-ins at once, for
 *       small clusters and for API servers without field selectors on spec fields (fabric8's mock server matches
 *       nothing for them, so the simulator uses this).</li>
 * </ul>
 * In every mode {@link OptIn#isMaroon} is applied as an event filter as well, so the modes differ only in cost.
 */
public enum PodWatch {
    SCHEDULER_NAME,
    LABEL,
    ALL_PODS;

    public static final String SCHEDULER_NAME_FIELD = "spec.schedulerName";
    public static final String NODE_NAME_FIELD = "spec.nodeName";

    /** The opted-in pods that exist now, straight from the API (the sweep must not trust a cache). */
    public List<Pod> listOptedIn(KubernetesClient client, String schedulerName) {
        List<Pod> pods = switch (this) {
            case SCHEDULER_NAME ->
                client.pods()
                        .inAnyNamespace()
                        .withField(SCHEDULER_NAME_FIELD, schedulerName)
                        .list()
                        .getItems();
            case LABEL ->
                client.pods()
                        .inAnyNamespace()
                        .withLabel(Names.OPT_IN_LABEL, "true")
                        .list()
                        .getItems();
            case ALL_PODS -> client.pods().inAnyNamespace().list().getItems();
        };
        return pods.stream().filter(pod -> OptIn.isMaroon(pod, schedulerName)).toList();
    }

    /**
     * The pods bound to one node, as the API server has them now: what a warm-pool claim reads before it hands the node
     * to a pod (once per claim). The API server filters by {@code spec.nodeName} (the kubelet's own watch uses that
     * field selector); in {@link #ALL_PODS} mode every pod is listed and filtered here instead, because the API servers
     * that mode is for cannot filter on spec fields.
     */
    public List<Pod> podsOn(KubernetesClient client, String nodeName) {
        if (this == ALL_PODS) {
            return client.pods().inAnyNamespace().list().getItems().stream()
                    .filter(pod -> nodeName.equals(pod.getSpec().getNodeName()))
                    .toList();
        }
        return client.pods()
                .inAnyNamespace()
                .withField(NODE_NAME_FIELD, nodeName)
                .list()
                .getItems();
    }

    /**
     * The isolation guard's watch: every pod bound to a node. A field selector cannot say "the node's name starts with
     * maroon-", so the API server is asked for the bound pods ({@code spec.nodeName!=}: no pending pod's churn) and
     * the guard keeps only those on {@code maroon-*} nodes. In {@link #ALL_PODS} mode, for API servers that cannot
     * filter on spec fields, every pod is watched.
     */
    public FilterWatchListDeletable<Pod, PodList, PodResource> boundPods(KubernetesClient client) {
        return this == ALL_PODS
                ? client.pods().inAnyNamespace()
                : client.pods().inAnyNamespace().withoutField(NODE_NAME_FIELD, "");
    }

    /** Parses {@code scheduler-name}, {@code label} or {@code all-pods} (case and separators ignored). */
    public static PodWatch parse(String text) {
        String normalized = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (PodWatch mode : values()) {
            if (mode.name().equals(normalized)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("must be scheduler-name, label or all-pods, got '" + text + "'");
    }
}
