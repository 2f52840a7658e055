package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.events.EventPublisher;
import io.maroonedpods.provisioner.events.Reason;
import io.maroonedpods.provisioner.node.NodeVerdict;
import io.maroonedpods.provisioner.observe.ProvisionerMetrics;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Labels a pod's node once it matches its VMI ({@link NodeLabeler}) and settles the pod; or rejects the node. */
final class NodeVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(NodeVerifier.class);

    private final NodeLabeler labeler;
    private final PodEdits pods;
    private final BootLine line;
    private final EventPublisher events;
    private final ProvisionerMetrics metrics;
    private final Clock clock;

    NodeVerifier(
            NodeLabeler labeler,
            PodEdits pods,
            BootLine line,
            EventPublisher events,
            ProvisionerMetrics metrics,
            Clock clock) {
        this.labeler = labeler;
        this.pods = pods;
        this.line = line;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Labels the node (checked once more, on the version the label goes to) and settles the pod. True when it was
     * labelled: its boot slot is free at once.
     */
    boolean verify(Pod pod, EffectiveConfig config, VirtualMachineInstance vmi, Node node) {
        NodeVerdict verdict =
                labeler.verifyAndLabel(vmi, node, pod.getMetadata().getUid(), config.dedicatedTaintKey());
        if (!verdict.is(NodeVerdict.Outcome.VERIFIED)) {
            return false;
        }
        String name = vmi.getMetadata().getName();
        line.verified(name);
        metrics.nodeVerified(pod, clock.instant());
        LOG.info(
                "pod {}/{} ({}): node {} verified and labelled",
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                pod.getMetadata().getUid(),
                name);
        events.publish(
                pod,
                Reason.NodeVerified,
                "node " + name + " matches VMI " + name
                        + " (name, InternalIP, systemUUID) and is now reserved for this pod");
        pods.settle(pod, config.dedicatedTaintKey(), PodPlan.settle(pod, node, config.dedicatedTaintKey()));
        return true;
    }

    /** The newest copy of the node this process has (see {@link NodeLabeler#latest}). */
    Node latest(Node cached) {
        return labeler.latest(cached);
    }

    void reject(Pod pod, Node node, String why) {
        metrics.bootFailure("node_rejected");
        LOG.warn(
                "pod {}/{} ({}): node {} rejected: {}",
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                pod.getMetadata().getUid(),
                node.getMetadata().getName(),
                why);
        events.publish(
                EventPublisher.reference(pod),
                Reason.NodeRejected,
                "node " + node.getMetadata().getName() + " is not the VM booted for this pod and will not be used: "
                        + why,
                EventPublisher.reference(node));
    }
}
