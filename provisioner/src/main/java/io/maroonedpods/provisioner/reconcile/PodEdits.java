package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.maroonedpods.api.Names;
import io.maroonedpods.provisioner.edit.Edits;
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

/**
 * The only changes the provisioner makes to user pods: add the dedicated toleration, record boot attempts in
 * annotations, remove our scheduling gate, and fail a pod whose VM was lost while it was bound to its node. Each is an {@link Edits edit} of the latest pod, checked against the UID so
 * that a pod recreated under the same name is never touched by mistake; one that finds nothing to change writes
 * nothing (the informer's copy of the pod may lag behind our own last write).
 *
 * <p>Only the provisioner writes the boot record, so the record it last wrote on a pod is the pod's record now:
 * {@link #showsOwnRecord} tells whether the informer's copy already shows it, which spares a read of the pod before
 * a boot (a round trip between a freed boot slot and the next VM, in a burst).
 */
final class PodEdits {
    /** Stands for a record write whose outcome is unknown (it failed): no copy of the pod shows it. */
    private static final BootRecord UNKNOWN = new BootRecord(-1, null, null);

    private final KubernetesClient client;
    private final Edits edits;
    /** Pod UID → the boot record this process last wrote on it; absent when it wrote none. */
    private final Map<String, BootRecord> written = new ConcurrentHashMap<>();

    PodEdits(KubernetesClient client) {
        this.client = client;
        this.edits = new Edits(client);
    }

    static Toleration dedicatedToleration(String taintKey, String podUid) {
        return new Toleration("NoSchedule", taintKey, "Equal", null, podUid);
    }

    static boolean tolerates(Pod pod, Toleration wanted) {
        List<Toleration> tolerations = pod.getSpec().getTolerations();
        return tolerations != null && tolerations.stream().anyMatch(t -> wanted.getKey().equals(t.getKey())
                && wanted.getValue().equals(t.getValue()) && "Equal".equals(t.getOperator())
                && "NoSchedule".equals(t.getEffect()));
    }

    static boolean gated(Pod pod) {
        List<PodSchedulingGate> gates = pod.getSpec().getSchedulingGates();
        return gates != null && gates.stream().anyMatch(g -> Names.SCHEDULING_GATE.equals(g.getName()));
    }

    /**
     * Tolerations may be added to an existing pod (never removed); at admission the UID did not exist yet. Returns
     * the pod as written (the copy at hand if it tolerates already or is gone).
     */
    Pod withToleration(Pod pod, Toleration toleration) {
        return tolerates(pod, toleration) ? pod : edit(pod, tolerating(toleration)).orElse(pod);
    }

    void record(Pod pod, BootRecord record) {
        editRecord(pod, recording(record));
    }

    /** A VM was booted for the pod: the record counts it, and the pod gets its toleration if it lacks it, in one write. */
    void recordBoot(Pod pod, BootRecord record, Toleration toleration) {
        editRecord(pod, latest -> tolerating(toleration).apply(recording(record).apply(latest)));
    }

    /**
     * The pod's node is verified: adds the toleration (if missing), records the boot as done (when anything is
     * recorded) and opens our gate (when asked), in one write.
     */
    void settle(Pod pod, Toleration toleration, boolean clearRecord, boolean removeGate) {
        if (tolerates(pod, toleration) && !clearRecord && !removeGate) {
            return;
        }
        UnaryOperator<Pod> change = latest -> {
            Pod changed = tolerating(toleration).apply(latest);
            changed = clearRecord ? recording(new BootRecord(0, null, null)).apply(changed) : changed;
            return removeGate ? withoutGate(changed) : changed;
        };
        if (clearRecord) {
            editRecord(pod, change);
        } else {
            edit(pod, change);
        }
    }

    /** The pod as the API server has it now, if it is still the same pod. */
    Optional<Pod> fresh(Pod pod) {
        Pod current = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .get();
        return current != null && current.getMetadata().getUid().equals(pod.getMetadata().getUid())
                ? Optional.of(current) : Optional.empty();
    }

    /** The pod's VM is lost while it is bound to its node: phase Failed through the status subresource. */
    void fail(Pod pod, String message, Instant now) {
        edit(pod, latest -> LostVm.failed(latest, message, now), true);
    }

    /** The pod no longer opts in: our scheduling gate goes (if it has it), so that it is scheduled like any pod. */
    void openGate(Pod pod) {
        if (gated(pod)) {
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
    }

    private void editRecord(Pod pod, UnaryOperator<Pod> change) {
        String uid = pod.getMetadata().getUid();
        written.put(uid, UNKNOWN); // until the write is known to have landed
        edit(pod, change).ifPresent(after -> written.put(uid, BootRecord.of(after)));
    }

    private static UnaryOperator<Pod> tolerating(Toleration toleration) {
        return latest -> {
            if (!tolerates(latest, toleration)) {
                List<Toleration> tolerations = new ArrayList<>(orEmpty(latest.getSpec().getTolerations()));
                tolerations.add(toleration);
                latest.getSpec().setTolerations(tolerations);
            }
            return latest;
        };
    }

    private static UnaryOperator<Pod> recording(BootRecord record) {
        return latest -> {
            Map<String, String> annotations = new HashMap<>(orEmpty(latest.getMetadata().getAnnotations()));
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
        return edit(pod, change, false);
    }

    private Optional<Pod> edit(Pod pod, UnaryOperator<Pod> change, boolean status) {
        String uid = pod.getMetadata().getUid();
        try {
            var named = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName());
            UnaryOperator<Pod> sameUid = latest -> {
                if (!uid.equals(latest.getMetadata().getUid())) {
                    throw new IllegalStateException("pod " + pod.getMetadata().getName() + " was recreated (UID changed)");
                }
                return change.apply(latest);
            };
            return status ? edits.editStatus(named, Pod.class, pod, sameUid) : edits.edit(named, Pod.class, pod, sameUid);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            // Deleted meanwhile: its delete event follows and tears the VM down; nothing left to edit.
            return Optional.empty();
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
