package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.OptIn;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.provisioner.events.EventPublisher;
import io.maroonedpods.provisioner.events.Reason;
import io.maroonedpods.provisioner.lifecycle.BootQueue;
import io.maroonedpods.provisioner.lifecycle.LostVm;
import io.maroonedpods.provisioner.lifecycle.PodFacts;
import io.maroonedpods.provisioner.lifecycle.Teardown;
import io.maroonedpods.provisioner.observe.ProvisionerMetrics;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a pod's VM ends: the pod is deleted, finishes or stops opting in, or its VM is lost while the pod is bound to
 * its node. A verified node name is never given to another VM while its pod exists: as long as a pod bound to a
 * dedicated node exists, that node's k3s password Secret stays.
 */
final class PodEndings {
    private static final Logger LOG = LoggerFactory.getLogger(PodEndings.class);
    private final KubernetesClient client;
    private final String vmNamespace;
    private final Teardown teardown;
    private final PodEdits pods;
    private final EventPublisher events;
    private final ProvisionerMetrics metrics;
    private final Clock clock;
    private final BootQueue<ResourceID> queue;

    PodEndings(KubernetesClient client, String vmNamespace, Teardown teardown, PodEdits pods, EventPublisher events,
            ProvisionerMetrics metrics, Clock clock, BootQueue<ResourceID> queue) {
        this.client = client;
        this.vmNamespace = vmNamespace;
        this.teardown = teardown;
        this.pods = pods;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.queue = queue;
    }

    /**
     * A delete event: tear everything down, name locks included. Unless the pod is in fact still there (a watch can
     * lose sight of a live pod, and a label-selected watch loses a pod whose opt-in label was removed): then only a
     * pod that no longer opts in and is not bound to its node loses its VM.
     */
    void podGone(Pod last) {
        queue.done(ResourceID.fromResource(last));
        pods.forget(last.getMetadata().getUid());
        Optional<Pod> current = pods.fresh(last).filter(pod -> !PodFacts.done(pod));
        if (current.isPresent()) {
            if (!OptIn.isMaroon(current.get())) {
                optedOut(current.get());
            }
            return;
        }
        report(last, "the pod was deleted", teardown.all(last.getMetadata().getUid(), last.getSpec().getNodeName()));
    }

    /**
     * The pod finished, or is being deleted and its grace is over. A pod bound to its node keeps the node's name
     * locked (its node-password Secret stays) until it is gone: a VM booted later can never take that name.
     */
    void tearDown(Pod pod, String cause) {
        String uid = pod.getMetadata().getUid();
        report(pod, cause, PodFacts.boundToAMaroonNode(pod) ? teardown.keepingName(uid, pod.getSpec().getNodeName())
                : teardown.all(uid));
    }

    /**
     * The pod no longer opts in (its label was removed) and is not bound to its node: its VM goes, and so does our
     * scheduling gate, so that it is scheduled like any other pod. A pod already running on its node keeps it.
     */
    void optedOut(Pod pod) {
        if (PodFacts.boundToAMaroonNode(pod)) {
            return;
        }
        queue.done(ResourceID.fromResource(pod));
        pods.openGate(pod);
        report(pod, "the pod no longer opts in to a dedicated VM (" + Names.OPT_IN_LABEL + " removed)",
                teardown.all(pod.getMetadata().getUid()));
    }

    private void report(Pod pod, String cause, List<String> deleted) {
        if (!deleted.isEmpty()) {
            metrics.tornDown("pod_finished");
            events.publish(pod, Reason.TornDown, cause + ": deleted " + String.join(", ", deleted));
        }
    }

    /**
     * Why the VM of a pod bound to {@code node} is lost, asked of the API server (the caches said so, and failing a
     * pod cannot be undone), or empty when it is there after all.
     */
    Optional<String> lostVm(String node) {
        return Optional.ofNullable(LostVm.why(node, KubeVirt.vmis(client, vmNamespace).withName(node).get(),
                client.nodes().withName(node).get()));
    }

    /**
     * The VM of a pod bound to its node is lost: the pod is failed (it can run nowhere else: no other VM may take its
     * node's name while it exists), with a Warning saying so. Its controller, if any, replaces it.
     */
    void vmLost(Pod pod, String node, String why) {
        String message = "The dedicated VM of this pod is lost (" + why + ") while the pod was bound to node " + node
                + ". The pod cannot run on any other node and is marked Failed; its controller (Deployment, Job, ...)"
                + " creates a new pod, which gets a new VM. The node name stays reserved until this pod is deleted.";
        pods.fail(pod, message, clock.instant());
        metrics.bootFailure("vm_lost");
        LOG.warn("pod {}/{} ({}): VM of node {} lost ({}): pod failed", pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(), pod.getMetadata().getUid(), node, why);
        events.publish(pod, Reason.VmLost, message);
    }
}
