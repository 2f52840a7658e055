package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.maroonedpods.api.Names;
import io.maroonedpods.provisioner.edit.Edits;
import io.maroonedpods.provisioner.lifecycle.BootRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The only changes the provisioner makes to user pods: add the dedicated toleration, record boot attempts in
 * annotations, remove our scheduling gate. Each is an {@link Edits edit} of the latest pod, checked against the UID so
 * that a pod recreated under the same name is never touched by mistake; one that finds nothing to change writes
 * nothing (the informer's copy of the pod may lag behind our own last write).
 */
final class PodEdits {
    private final KubernetesClient client;
    private final Edits edits;

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

    /** Tolerations may be added to an existing pod (never removed); at admission the UID did not exist yet. */
    void addToleration(Pod pod, Toleration toleration) {
        edit(pod, latest -> {
            if (!tolerates(latest, toleration)) {
                List<Toleration> tolerations = new ArrayList<>(orEmpty(latest.getSpec().getTolerations()));
                tolerations.add(toleration);
                latest.getSpec().setTolerations(tolerations);
            }
            return latest;
        });
    }

    void record(Pod pod, BootRecord record) {
        edit(pod, recording(record));
    }

    /** Records the boot as done (when anything is recorded) and opens our gate (when asked), in one write. */
    void settle(Pod pod, boolean clearRecord, boolean removeGate) {
        if (!clearRecord && !removeGate) {
            return;
        }
        edit(pod, latest -> {
            Pod changed = clearRecord ? recording(new BootRecord(0, null, null)).apply(latest) : latest;
            return removeGate ? withoutGate(changed) : changed;
        });
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

    private void edit(Pod pod, UnaryOperator<Pod> change) {
        String uid = pod.getMetadata().getUid();
        try {
            var named = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName());
            edits.edit(named, Pod.class, pod, latest -> {
                if (!uid.equals(latest.getMetadata().getUid())) {
                    throw new IllegalStateException("pod " + pod.getMetadata().getName() + " was recreated (UID changed)");
                }
                return change.apply(latest);
            });
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            // Deleted meanwhile: its delete event follows and tears the VM down; nothing left to edit.
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
