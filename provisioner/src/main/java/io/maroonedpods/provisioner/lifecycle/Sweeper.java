package io.maroonedpods.provisioner.lifecycle;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.provisioner.events.EventPublisher;
import io.maroonedpods.provisioner.events.Reason;
import io.maroonedpods.provisioner.pool.PoolVm;
import io.maroonedpods.provisioner.vm.DesiredVm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes VMs, Secrets and Nodes whose pod no longer exists (or has finished): after a restart, a missed delete
 * event, a crash between two steps. Managed objects are listed before the pods, so an object created for a pod that
 * appears meanwhile is never mistaken for an orphan; a candidate whose pod is not in the list is checked once more by
 * name before anything is deleted. A claimed warm-pool VMI ({@code maroon-pool-*}) belongs to the pod UID on its label,
 * like a pod's own VMI; unclaimed pool VMIs, their Secrets and nodes match no pod UID and are left to the pool keeper.
 */
public final class Sweeper {
    private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);
    private final KubernetesClient client;
    private final String vmNamespace;
    private final Supplier<List<Pod>> optedInPods;
    private final Teardown teardown;
    private final EventPublisher events;

    public Sweeper(
            KubernetesClient client,
            String vmNamespace,
            Supplier<List<Pod>> optedInPods,
            Teardown teardown,
            EventPublisher events) {
        this.client = client;
        this.vmNamespace = vmNamespace;
        this.optedInPods = optedInPods;
        this.teardown = teardown;
        this.events = events;
    }

    /** One pass; returns the pod UIDs whose leftovers were deleted. */
    public List<String> sweep() {
        Map<String, PodRef> candidates = new HashMap<>();
        KubeVirt.vmis(client, vmNamespace)
                .withLabel(Names.MANAGED_BY_LABEL, Names.MANAGED_BY_VALUE)
                .list()
                .getItems()
                .forEach(vmi -> remember(candidates, podUidOf(vmi), vmi));
        client.secrets()
                .inNamespace(vmNamespace)
                .withLabel(Names.MANAGED_BY_LABEL, Names.MANAGED_BY_VALUE)
                .list()
                .getItems()
                .forEach(secret ->
                        remember(candidates, secret.getMetadata().getLabels().get(Names.POD_UID_LABEL), secret));
        client.nodes()
                .list()
                .getItems()
                .forEach(node ->
                        remember(candidates, Names.podUidOf(node.getMetadata().getName()), null));
        if (candidates.isEmpty()) {
            return List.of();
        }
        Map<Boolean, Set<String>> uidsByFinished = optedInPods.get().stream()
                .collect(Collectors.partitioningBy(
                        PodLife::finished,
                        Collectors.mapping(pod -> pod.getMetadata().getUid(), Collectors.toSet())));
        Set<String> live = uidsByFinished.get(false);
        Set<String> finished = uidsByFinished.get(true);
        List<String> swept = new ArrayList<>();
        candidates.forEach((uid, ref) -> {
            if (live.contains(uid) || stillRunning(uid, ref)) {
                return;
            }
            List<String> deleted = teardown.all(uid);
            if (!deleted.isEmpty()) {
                LOG.info("sweep: pod UID {} is gone, deleted {}", uid, String.join(", ", deleted));
                swept.add(uid);
                if (finished.contains(uid) && ref.namespace() != null) {
                    events.publish(
                            ref.reference(uid),
                            Reason.TornDown,
                            "the pod has finished: deleted " + String.join(", ", deleted),
                            null);
                }
            }
        });
        return swept;
    }

    private static String podUidOf(io.maroonedpods.kubevirt.VirtualMachineInstance vmi) {
        String uid = Names.podUidOf(vmi.getMetadata().getName());
        return uid != null ? uid : PoolVm.isPool(vmi) ? PoolVm.claimedBy(vmi) : null;
    }

    private boolean stillRunning(String uid, PodRef ref) {
        if (ref == null || ref.namespace() == null) {
            return false;
        }
        Pod pod =
                client.pods().inNamespace(ref.namespace()).withName(ref.name()).get();
        return pod != null && uid.equals(pod.getMetadata().getUid()) && !PodLife.finished(pod);
    }

    private static void remember(Map<String, PodRef> candidates, String uid, HasMetadata managed) {
        if (uid == null || !Names.isPodUid(uid)) {
            return;
        }
        PodRef ref = managed == null ? null : PodRef.of(managed);
        candidates.merge(uid, ref == null ? PodRef.NONE : ref, (a, b) -> a == PodRef.NONE ? b : a);
    }

    record PodRef(String namespace, String name) {
        static final PodRef NONE = new PodRef(null, null);

        ObjectReference reference(String uid) {
            return new ObjectReferenceBuilder()
                    .withApiVersion("v1")
                    .withKind("Pod")
                    .withNamespace(namespace)
                    .withName(name)
                    .withUid(uid)
                    .build();
        }

        static PodRef of(HasMetadata managed) {
            Map<String, String> labels = managed.getMetadata().getLabels();
            String namespace = labels == null ? null : labels.get(Names.POD_NAMESPACE_LABEL);
            String name = labels == null ? null : DesiredVm.podName(managed);
            return namespace == null || name == null ? NONE : new PodRef(namespace, name);
        }
    }
}
