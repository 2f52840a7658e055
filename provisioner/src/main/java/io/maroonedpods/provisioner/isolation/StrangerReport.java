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
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells both pods that a stranger was removed: a Warning {@code IsolationViolation} on the stranger, naming the node
 * and whose it is, and one on the node's own pod (found through the VMI's pod labels), naming the stranger. Never
 * fails the removal: a lookup or Event that fails is only logged.
 */
final class StrangerReport {
    private static final Logger LOG = LoggerFactory.getLogger(StrangerReport.class);
    private final KubernetesClient client;
    private final String vmNamespace;
    private final EventPublisher events;

    StrangerReport(KubernetesClient client, String vmNamespace, EventPublisher events) {
        this.client = client;
        this.vmNamespace = vmNamespace;
        this.events = events;
    }

    void removed(Pod stranger, NodeOwner owner) {
        String node = stranger.getSpec().getNodeName();
        ObjectReference ownerPod = owner.ownerUid() == null ? null : ownerPod(node, owner.ownerUid());
        String strangerName = stranger.getMetadata().getNamespace() + "/"
                + stranger.getMetadata().getName();
        String whose = switch (owner.kind()) {
            case DEDICATED, CLAIMED_POOL ->
                "it is dedicated to "
                        + (ownerPod == null
                                ? "pod UID " + owner.ownerUid()
                                : "pod " + ownerPod.getNamespace() + "/" + ownerPod.getName())
                        + " and runs nothing else";
            case POOL ->
                "it is a warm-pool VM that runs no pod until a MaroonedPods pod claims it; the VM is destroyed";
            case OTHER -> "maroon-* nodes are MaroonedPods' dedicated VM nodes and run no other pod";
        };
        LOG.warn("removed stranger pod {} from node {}: {}", strangerName, node, whose);
        events.publish(
                EventPublisher.reference(stranger),
                Reason.IsolationViolation,
                "removed from node " + node + " (deleted, grace period 0): " + whose,
                ownerPod);
        if (ownerPod != null) {
            events.publish(
                    ownerPod,
                    Reason.IsolationViolation,
                    "pod " + strangerName + " was bound to this pod's" + " dedicated node " + node
                            + " and has been removed",
                    EventPublisher.reference(stranger));
        }
    }

    /** The node's own pod, from its VMI's labels (the VMI is named like the node); null if that cannot be told. */
    private ObjectReference ownerPod(String node, String ownerUid) {
        VirtualMachineInstance vmi;
        try {
            vmi = KubeVirt.vmis(client, vmNamespace).withName(node).get();
        } catch (KubernetesClientException e) {
            LOG.debug("cannot read VMI {} to name the owner of node {}: {}", node, node, e.getMessage());
            return null;
        }
        Map<String, String> labels = vmi == null ? null : vmi.getMetadata().getLabels();
        if (labels == null || !ownerUid.equals(labels.get(Names.POD_UID_LABEL))) {
            return null;
        }
        return new ObjectReferenceBuilder()
                .withApiVersion("v1")
                .withKind("Pod")
                .withUid(ownerUid)
                .withNamespace(labels.get(Names.POD_NAMESPACE_LABEL))
                .withName(DesiredVm.podName(vmi))
                .build();
    }
}
