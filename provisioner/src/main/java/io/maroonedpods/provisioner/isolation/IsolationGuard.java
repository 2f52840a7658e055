package io.maroonedpods.provisioner.isolation;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.maroonedpods.api.Names;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.events.EventPublisher;
import io.maroonedpods.provisioner.events.Reason;
import io.maroonedpods.provisioner.vm.DesiredVm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Patrols the verified dedicated nodes and evicts every pod that is not the node's own (see {@link Isolation}), with a
 * Warning {@code IsolationViolation} on the evicted pod and on the pod the node belongs to. The taint and the extender
 * keep intruders out at scheduling time; this catches what got past them (wildcard tolerations, hand-bound pods).
 */
public final class IsolationGuard {
    private static final Logger LOG = LoggerFactory.getLogger(IsolationGuard.class);
    private final KubernetesClient client;
    private final String vmNamespace;
    private final Function<Set<String>, Map<String, List<Pod>>> podsOnNodes;
    private final List<String> allowedDaemonSets;
    private final EventPublisher events;

    public IsolationGuard(KubernetesClient client, String vmNamespace,
            Function<Set<String>, Map<String, List<Pod>>> podsOnNodes, List<String> allowedDaemonSets,
            EventPublisher events) {
        this.client = client;
        this.vmNamespace = vmNamespace;
        this.podsOnNodes = podsOnNodes;
        this.allowedDaemonSets = allowedDaemonSets;
        this.events = events;
    }

    /** One pass over the dedicated nodes; returns the evicted pods as {@code namespace/name}. */
    public List<String> patrol() {
        Map<String, String> ownerUidByNode = client.nodes().withLabel(Names.VERIFIED_POD_UID_LABEL).list().getItems()
                .stream().collect(Collectors.toMap(n -> n.getMetadata().getName(),
                        n -> n.getMetadata().getLabels().get(Names.VERIFIED_POD_UID_LABEL)));
        if (ownerUidByNode.isEmpty()) {
            return List.of();
        }
        Map<String, VirtualMachineInstance> vmis = KubeVirt.vmis(client, vmNamespace).list().getItems().stream()
                .collect(Collectors.toMap(v -> v.getMetadata().getName(), v -> v));
        List<String> evicted = new ArrayList<>();
        podsOnNodes.apply(ownerUidByNode.keySet()).forEach((node, pods) -> {
            String ownerUid = ownerUidByNode.get(node);
            for (Pod intruder : Isolation.intruders(pods, ownerUid, allowedDaemonSets)) {
                if (evict(intruder)) {
                    report(intruder, node, ownerUid, vmis.get(node));
                    evicted.add(intruder.getMetadata().getNamespace() + "/" + intruder.getMetadata().getName());
                }
            }
        });
        return evicted;
    }

    /**
     * Eviction first (graceful, the usual path); if a PodDisruptionBudget refuses it, or eviction is unavailable,
     * the pod is deleted: a budget protects availability, and isolation comes first.
     */
    private boolean evict(Pod pod) {
        var resource = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName());
        try {
            if (resource.evict()) {
                return true;
            }
        } catch (KubernetesClientException e) {
            LOG.debug("eviction of {}/{} failed ({}), deleting it", pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), e.getCode());
        }
        try {
            return !resource.withGracePeriod(0).delete().isEmpty();
        } catch (KubernetesClientException e) {
            LOG.warn("cannot remove pod {}/{} from a dedicated node: {}", pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), e.getMessage());
            return false;
        }
    }

    private void report(Pod intruder, String node, String ownerUid, VirtualMachineInstance vmi) {
        ObjectReference owner = ownerReference(ownerUid, vmi);
        String ownerName = owner == null ? "pod UID " + ownerUid : "pod " + owner.getNamespace() + "/" + owner.getName();
        String intruderName = intruder.getMetadata().getNamespace() + "/" + intruder.getMetadata().getName();
        LOG.warn("evicted pod {} from node {}, dedicated to {}", intruderName, node, ownerName);
        events.publish(EventPublisher.reference(intruder), Reason.IsolationViolation, "evicted from node " + node
                + ": it is dedicated to " + ownerName + " and runs nothing else", owner);
        if (owner != null) {
            events.publish(owner, Reason.IsolationViolation, "pod " + intruderName + " was running on this pod's"
                    + " dedicated node " + node + " and has been evicted", EventPublisher.reference(intruder));
        }
    }

    private static ObjectReference ownerReference(String ownerUid, VirtualMachineInstance vmi) {
        if (vmi == null || vmi.getMetadata().getLabels() == null
                || !ownerUid.equals(vmi.getMetadata().getLabels().get(Names.POD_UID_LABEL))) {
            return null;
        }
        return new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod").withUid(ownerUid)
                .withNamespace(vmi.getMetadata().getLabels().get(Names.POD_NAMESPACE_LABEL))
                .withName(DesiredVm.podName(vmi)).build();
    }
}
