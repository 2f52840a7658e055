package io.maroonedpods.simulator.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.maroonedpods.api.Names;
import io.maroonedpods.testcluster.store.ResourcePath;
import io.maroonedpods.testcluster.store.StoreObserver;
import io.maroonedpods.testcluster.store.WatchEvent;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * Each maroon pod's milestones, taken from the API server's changes as they are stored: pod created, its VMI created,
 * its node registered (created by the guest's kubelet with the pod-uid self label), its node verified (the restricted
 * label set), the pod bound. Times are seconds since the simulation started. The store tells of a change before any
 * component can react to it, so a pod's creation always comes before its other milestones.
 */
public final class Timeline implements StoreObserver {

    /** One pod's milestones; a null time has not happened. */
    public record PodTimeline(
            String uid,
            String namespace,
            String name,
            double created,
            Double vmiCreated,
            Double nodeRegistered,
            Double nodeVerified,
            Double bound,
            String node) {
        static PodTimeline of(String uid, String namespace, String name, double now) {
            return new PodTimeline(uid, namespace, name, now, null, null, null, null, null);
        }

        PodTimeline with(Double vmi, Double registered, Double verified, Double boundAt, String boundNode) {
            return new PodTimeline(
                    uid,
                    namespace,
                    name,
                    created,
                    first(vmiCreated, vmi),
                    first(nodeRegistered, registered),
                    first(nodeVerified, verified),
                    first(bound, boundAt),
                    node != null ? node : boundNode);
        }

        private static Double first(Double recorded, Double now) {
            return recorded != null ? recorded : now;
        }
    }

    private final LongSupplier elapsedMillis;
    private final Map<String, PodTimeline> pods = new ConcurrentHashMap<>();

    public Timeline(LongSupplier elapsedMillis) {
        this.elapsedMillis = elapsedMillis;
    }

    @Override
    public void stored(ResourcePath at, WatchEvent change) {
        String resource = at.plural();
        boolean added = "ADDED".equals(change.type());
        String boundNode = "pods".equals(resource) ? change.boundNode() : null;
        if (!added && boundNode == null && !("nodes".equals(resource) && "MODIFIED".equals(change.type()))) {
            return; // most changes (Events, pod and VMI status, deletions) say nothing about the timeline
        }
        double now = elapsedMillis.getAsLong() / 1000.0;
        JsonNode object = change.object().object();
        JsonNode meta = object.path("metadata");
        switch (resource) {
            case "pods" -> {
                if (boundNode != null) {
                    update(meta.path("uid").asText(), t -> t.with(null, null, null, now, boundNode));
                } else if (Names.SCHEDULER_NAME.equals(
                        object.path("spec").path("schedulerName").asText())) {
                    String uid = meta.path("uid").asText();
                    pods.put(
                            uid,
                            PodTimeline.of(
                                    uid,
                                    change.object().namespace(),
                                    change.object().name(),
                                    now));
                }
            }
            case "virtualmachineinstances" ->
                update(change.object().label(Names.POD_UID_LABEL), t -> t.with(now, null, null, null, null));
            case "nodes" -> {
                if (added) {
                    update(change.object().label(Names.POD_UID_LABEL), t -> t.with(null, now, null, null, null));
                }
                update(change.object().label(Names.VERIFIED_POD_UID_LABEL), t -> t.with(null, null, now, null, null));
            }
            default -> {
                // no other resource marks a milestone
            }
        }
    }

    /** Changes a maroon pod's milestones; a uid of no maroon pod seen (or of none) changes nothing. */
    private void update(String uid, UnaryOperator<PodTimeline> change) {
        pods.computeIfPresent(uid, (k, t) -> change.apply(t));
    }

    /** Drops every pod recorded so far (the simulator's warm-up). */
    public void forget() {
        pods.clear();
    }

    /** Every maroon pod seen, in creation order. */
    public List<PodTimeline> pods() {
        return pods.values().stream()
                .sorted(Comparator.comparing(PodTimeline::created).thenComparing(PodTimeline::name))
                .toList();
    }

    public long boundCount() {
        return pods.values().stream().filter(t -> t.bound() != null).count();
    }

    public long verifiedCount() {
        return pods.values().stream().filter(t -> t.nodeVerified() != null).count();
    }

    public long vmiCount() {
        return pods.values().stream().filter(t -> t.vmiCreated() != null).count();
    }
}
