package io.maroonedpods.simulator.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.maroonedpods.api.Names;
import io.maroonedpods.testcluster.ApiObserver;
import io.maroonedpods.testcluster.ApiPath;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Each maroon pod's milestones, taken from the API server's writes as they are stored: pod created, its VMI created,
 * its node registered (created by the guest's kubelet with the pod-uid self label), its node verified (the restricted
 * label set), the pod bound. Times are seconds since the simulation started.
 *
 * <p>The API server tells its watchers of a write before its observers, so a component can react to a pod, and its
 * VMI be reported, before the pod's own creation is: a milestone that comes first is kept under the pod's uid until
 * the pod is reported (or never, for a pod that is not a maroon pod).
 */
public final class Timeline implements ApiObserver {

    /** One pod's milestones; a null time has not happened. */
    public record PodTimeline(
            String uid,
            String namespace,
            String name,
            Double created,
            Double vmiCreated,
            Double nodeRegistered,
            Double nodeVerified,
            Double bound,
            String node) {
        /** Milestones of a pod whose creation is not reported yet. */
        static PodTimeline unseen(String uid) {
            return new PodTimeline(uid, null, null, null, null, null, null, null, null);
        }

        PodTimeline createdAt(String podNamespace, String podName, double now) {
            return new PodTimeline(
                    uid, podNamespace, podName, now, vmiCreated, nodeRegistered, nodeVerified, bound, node);
        }

        boolean seen() {
            return created != null;
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
    public void written(String method, ApiPath path, JsonNode object) {
        boolean binding = path.bindingTarget() != null;
        boolean creation =
                "POST".equals(method) && (path.addresses("pods") || path.addresses("virtualmachineinstances"));
        if (!binding && !creation && ("DELETE".equals(method) || !path.addresses("nodes"))) {
            return; // most writes (Events, pod patches, VMI status) say nothing about the timeline
        }
        double now = elapsedMillis.getAsLong() / 1000.0;
        JsonNode meta = object.path("metadata");
        if (binding) {
            update(
                    meta.path("uid").asText(),
                    t -> t.with(
                            null,
                            null,
                            null,
                            now,
                            object.path("spec").path("nodeName").asText()));
        } else if ("POST".equals(method)
                && path.addresses("pods")
                && Names.SCHEDULER_NAME.equals(
                        object.path("spec").path("schedulerName").asText())) {
            String namespace = meta.path("namespace").asText();
            String name = meta.path("name").asText();
            pods.compute(
                    meta.path("uid").asText(),
                    (uid, t) -> (t == null ? PodTimeline.unseen(uid) : t).createdAt(namespace, name, now));
        } else if ("POST".equals(method) && path.addresses("virtualmachineinstances")) {
            update(meta.path("labels").path(Names.POD_UID_LABEL).asText(), t -> t.with(now, null, null, null, null));
        } else if (!"DELETE".equals(method) && path.addresses("nodes")) {
            if ("POST".equals(method)) {
                update(
                        meta.path("labels").path(Names.POD_UID_LABEL).asText(),
                        t -> t.with(null, now, null, null, null));
            }
            String verified =
                    meta.path("labels").path(Names.VERIFIED_POD_UID_LABEL).asText();
            if (!verified.isEmpty()) {
                update(verified, t -> t.with(null, null, now, null, null));
            }
        }
    }

    private void update(String uid, java.util.function.UnaryOperator<PodTimeline> change) {
        if (!uid.isEmpty()) {
            pods.compute(uid, (k, t) -> change.apply(t == null ? PodTimeline.unseen(k) : t));
        }
    }

    /** Drops every pod recorded so far (the simulator's warm-up). */
    public void forget() {
        pods.clear();
    }

    /** Every maroon pod seen, in creation order. */
    public List<PodTimeline> pods() {
        return seen().sorted(Comparator.comparing(PodTimeline::created).thenComparing(PodTimeline::name))
                .toList();
    }

    public long boundCount() {
        return seen().filter(t -> t.bound() != null).count();
    }

    public long verifiedCount() {
        return seen().filter(t -> t.nodeVerified() != null).count();
    }

    public long vmiCount() {
        return seen().filter(t -> t.vmiCreated() != null).count();
    }

    private Stream<PodTimeline> seen() {
        return pods.values().stream().filter(PodTimeline::seen);
    }
}
