package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.provisioner.apply.Apply;
import io.maroonedpods.provisioner.lifecycle.BootRecord;
import io.maroonedpods.provisioner.lifecycle.LostVm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only changes the provisioner makes to user pods: add the dedicated toleration, record boot attempts in
 * annotations, remove our scheduling gate, and fail a pod whose VM was lost while it was bound to its node. Each is an
 * {@link Apply#edit edit} of the copy at hand, sent as a patch guarded by what it changes (the scheduler's status
 * writes do not make it a conflict), checked against the UID so that a pod recreated under the same name is never
 * touched by mistake; one that finds nothing to change writes nothing.
 *
 * <p>Only the provisioner writes the boot record, so the record it last wrote on a pod is the pod's record now:
 * {@link #showsOwnRecord} tells whether the informer's copy already shows it, which spares a read of the pod before
 * a boot (a round trip between a freed boot slot and the next VM, in a burst).
 */
final class PodEdits {
    private static final Logger LOG = LoggerFactory.getLogger(PodEdits.class);
    /** Stands for a record write whose outcome is unknown (it failed): no copy of the pod shows it. */
    private static final BootRecord UNKNOWN = new BootRecord(-1, null, null);

    private final KubernetesClient client;
    private final Apply apply;
    /** Pod UID → the boot record this process last wrote on it; absent when it wrote none. */
    private final Map<String, BootRecord> written = new ConcurrentHashMap<>();
    /** Pod UID → this process's last write to it: the informer's version it was made over, and the pod it returned. */
    private final Map<String, OwnWrite> lastWrites = new ConcurrentHashMap<>();

    private record OwnWrite(String over, Pod result) {}

    PodEdits(KubernetesClient client) {
        this.client = client;
        this.apply = new Apply(client);
    }

    /**
     * Tolerations may be added to an existing pod (never removed); at admission the UID did not exist yet. Returns
     * the pod as written (the copy at hand if it tolerates already or is gone).
     */
    Pod withToleration(Pod pod, Toleration toleration) {
        return PodShape.tolerates(pod, toleration)
                ? pod
                : edit(pod, tolerating(toleration)).orElse(pod);
    }

    void record(Pod pod, BootRecord record) {
        editRecord(pod, recording(record));
    }

    /** A VM was booted for the pod: the record counts it, and the pod gets its toleration if it lacks it, in one write. */
    void recordBoot(Pod pod, BootRecord record, Toleration toleration) {
        editRecord(pod, latest -> tolerating(toleration).apply(recording(record).apply(latest)));
    }

    /**
     * The pod's node is verified: adds the toleration (if missing) and opens our gate, as {@link PodPlan#settle} says,
     * in one write (two in a row would cost a round trip more).
     */
    void settle(Pod pod, String dedicatedTaintKey, PodAction.Settle settle) {
        Toleration toleration =
                PodShape.toleration(dedicatedTaintKey, pod.getMetadata().getUid());
        if (PodShape.tolerates(pod, toleration) && !settle.openGate()) {
            return;
        }
        edit(pod, latest -> {
            Pod changed = tolerating(toleration).apply(latest);
            return settle.openGate() ? withoutGate(changed) : changed;
        });
        if (settle.openGate()) {
            LOG.info(
                    "pod {}/{} ({}): removed scheduling gate {}",
                    pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(),
                    pod.getMetadata().getUid(),
                    Names.SCHEDULING_GATE);
        }
    }

    /**
     * The newest copy of the pod at hand: the informer's, or the pod this process's last write returned while the
     * informer still shows the version that write was made over (its own event has not come back yet). Deciding and
     * writing on it spares a write that would add our toleration twice (refused) or a record already there.
     */
    Pod latest(Pod pod) {
        OwnWrite own = lastWrites.get(pod.getMetadata().getUid());
        return own != null && own.over().equals(pod.getMetadata().getResourceVersion()) ? own.result() : pod;
    }

    /** The pod as the API server has it now, if it is still the same pod. */
    Optional<Pod> fresh(Pod pod) {
        Pod current = client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .get();
        return current != null
                        && current.getMetadata()
                                .getUid()
                                .equals(pod.getMetadata().getUid())
                ? Optional.of(current)
                : Optional.empty();
    }

    /** The pod's VM is lost while it is bound to its node: phase Failed through the status subresource. */
    void fail(Pod pod, String message, Instant now) {
        // Locked to the version read: the status lists of the API server's JSON hold nulls a guard could not match.
        edit(pod, latest -> LostVm.failed(latest, message, now), Apply.Option.STATUS, Apply.Option.VERSION_LOCKED);
    }

    /** The pod no longer opts in: our scheduling gate goes (if it has it), so that it is scheduled like any pod. */
    void openGate(Pod pod) {
        if (PodShape.gated(pod)) {
            edit(pod, PodEdits::withoutGate);
        }
    }

    /**
     * Whether this copy of the pod shows the boot record this process last wrote on it (true when it wrote none: the
     * informer's first list came after any earlier leader's writes). Then it shows the pod's record as it is now.
     */
    boolean showsOwnRecord(Pod pod) {
        BootRecord own = written.get(pod.getMetadata().getUid());
        return own == null || own.equals(BootRecord.of(pod));
    }

    /** The pod is gone: nothing to remember about it. */
    void forget(String podUid) {
        written.remove(podUid);
        lastWrites.remove(podUid);
    }

    private void editRecord(Pod pod, UnaryOperator<Pod> change) {
        String uid = pod.getMetadata().getUid();
        written.put(uid, UNKNOWN); // until the write is known to have landed
        edit(pod, change).ifPresent(after -> written.put(uid, BootRecord.of(after)));
    }

    private static UnaryOperator<Pod> tolerating(Toleration toleration) {
        return latest -> {
            if (!PodShape.tolerates(latest, toleration)) {
                List<Toleration> tolerations =
                        new ArrayList<>(orEmpty(latest.getSpec().getTolerations()));
                tolerations.add(toleration);
                latest.getSpec().setTolerations(tolerations);
            }
            return latest;
        };
    }

    private static UnaryOperator<Pod> recording(BootRecord record) {
        return latest -> {
            Map<String, String> annotations =
                    new HashMap<>(orEmpty(latest.getMetadata().getAnnotations()));
            record.annotations().forEach((key, value) -> {
                if (value == null) {
                    annotations.remove(key);
                } else {
                    annotations.put(key, value);
                }
            });
            latest.getMetadata().setAnnotations(annotations);
            return latest;
        };
    }

    /** Removes our gate, and only ours: other gates belong to other controllers. */
    private static Pod withoutGate(Pod latest) {
        List<PodSchedulingGate> gates = new ArrayList<>(orEmpty(latest.getSpec().getSchedulingGates()));
        gates.removeIf(g -> Names.SCHEDULING_GATE.equals(g.getName()));
        latest.getSpec().setSchedulingGates(gates);
        return latest;
    }

    private Optional<Pod> edit(Pod pod, UnaryOperator<Pod> change) {
        return edit(pod, change, new Apply.Option[0]);
    }

    private Optional<Pod> edit(Pod pod, UnaryOperator<Pod> change, Apply.Option... options) {
        String uid = pod.getMetadata().getUid();
        var named = client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName());
        // A pod recreated under the same name is another pod: left alone (its own events bring it here).
        Apply.Applied<Pod> applied = apply.edit(
                named,
                latest(pod),
                current -> uid.equals(current.getMetadata().getUid()) ? change.apply(current) : current,
                options);
        if (applied.wrote() && applied.object() != null) {
            lastWrites.put(uid, new OwnWrite(pod.getMetadata().getResourceVersion(), applied.object()));
        }
        return Optional.ofNullable(applied.object())
                .filter(p -> uid.equals(p.getMetadata().getUid()));
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
