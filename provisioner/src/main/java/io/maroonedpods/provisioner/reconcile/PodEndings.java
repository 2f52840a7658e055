package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.provisioner.events.EventPublisher;
import io.maroonedpods.provisioner.events.Reason;
import io.maroonedpods.provisioner.lifecycle.BootRecord;
import io.maroonedpods.provisioner.lifecycle.LostVm;
import io.maroonedpods.provisioner.lifecycle.Teardown;
import io.maroonedpods.provisioner.node.NodeVerification;
import io.maroonedpods.provisioner.observe.ProvisionerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out how a pod's VM ends, as {@link PodPlan} decided it: the pod deleted, finished or opted out, a failed
 * boot retried or given up, or its VM lost while the pod is bound to its node. A verified node name is never given to
 * another VM while its pod exists: as long as a pod bound to a dedicated node exists, that node's k3s password Secret
 * stays.
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
    private final BootLine line;

    PodEndings(
            KubernetesClient client,
            String vmNamespace,
            Teardown teardown,
            PodEdits pods,
            EventPublisher events,
            ProvisionerMetrics metrics,
            Clock clock,
            BootLine line) {
        this.client = client;
        this.vmNamespace = vmNamespace;
        this.teardown = teardown;
        this.pods = pods;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.line = line;
    }

    /** The pod's VM goes; a deleted pod is forgotten. {@code seen}: what the caches showed of its VM. */
    void tearDown(PodObservation seen, PodAction.TearDown ending) {
        Pod pod = seen.pod();
        line.leave(pod);
        if (seen.deleted()) {
            pods.forget(pod.getMetadata().getUid());
        }
        if (ending.openGate()) {
            pods.openGate(pod);
        }
        String boundTo = pod.getSpec().getNodeName();
        List<String> deleted = tearDownVm(seen, ending.keepName(), boundTo);
        if (!deleted.isEmpty()) {
            metrics.tornDown("pod_finished");
            // An Event about a pod that is gone is never shown by kubectl describe: one write per pod saved.
            if (!seen.deleted()) {
                events.publish(pod, Reason.TornDown, ending.cause() + ": deleted " + String.join(", ", deleted));
            }
        }
    }

    /**
     * The VM the caches show, and only that one: a new leader may already have booted the next by its name. With none
     * in the caches, everything of the pod's the API has.
     */
    private List<String> tearDownVm(PodObservation seen, boolean keepName, String boundTo) {
        if (seen.vmi() != null) {
            return teardown.known(seen.uid(), known(seen), keepName, boundTo);
        }
        return keepName ? teardown.keepingName(seen.uid(), boundTo) : teardown.all(seen.uid(), boundTo);
    }

    private static Teardown.KnownVm known(PodObservation seen) {
        return new Teardown.KnownVm(seen.vmi(), NodeVerification.isVerifiedFor(seen.node(), seen.uid()));
    }

    /** Tears the failed VM down and schedules the next attempt; returns the backoff. */
    Duration retry(PodObservation seen, BootRecord record, String why, int maxAttempts) {
        Pod pod = seen.pod();
        tearDownVm(seen, false, null);
        Duration backoff = BootRecord.backoffAfter(record.attempts());
        pods.record(pod, new BootRecord(record.attempts(), clock.instant().plus(backoff), null));
        metrics.bootFailure("retried");
        LOG.warn(
                "pod {}/{} ({}): boot attempt {} failed: {}",
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                pod.getMetadata().getUid(),
                record.attempts(),
                why);
        events.publish(
                pod,
                Reason.BootFailed,
                "boot attempt " + record.attempts() + " of " + maxAttempts + " failed: " + why
                        + "; VM torn down, retrying in " + backoff.toSeconds() + " s");
        return backoff;
    }

    void giveUp(PodObservation seen, BootRecord record, String why) {
        Pod pod = seen.pod();
        tearDownVm(seen, false, null);
        String failure = why + " after " + record.attempts() + " boot attempt(s)";
        pods.record(pod, new BootRecord(record.attempts(), null, failure));
        metrics.bootFailure("gave_up");
        LOG.warn(
                "pod {}/{} ({}): provisioning failed: {}",
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                pod.getMetadata().getUid(),
                failure);
        events.publish(
                pod,
                Reason.ProvisioningFailed,
                failure + ". No VM is left; delete and recreate the pod to try"
                        + " again, and see the provisioner README (Troubleshooting) for the usual causes.");
    }

    /**
     * The caches say the VM of a pod bound to {@code node} is lost. Failing a pod cannot be undone, so the API server
     * is asked first; if it agrees, the pod is failed (it can run nowhere else: no other VM may take its node's name
     * while it exists), with a Warning saying so. Its controller, if any, replaces it.
     */
    void failIfVmLost(Pod pod, String node) {
        Optional<String> lost = Optional.ofNullable(LostVm.why(
                node,
                KubeVirt.vmis(client, vmNamespace).withName(node).get(),
                client.nodes().withName(node).get()));
        lost.ifPresent(why -> fail(pod, node, why));
    }

    private void fail(Pod pod, String node, String why) {
        String message = "The dedicated VM of this pod is lost (" + why + ") while the pod was bound to node " + node
                + ". The pod cannot run on any other node and is marked Failed; its controller (Deployment, Job, ...)"
                + " creates a new pod, which gets a new VM. The node name stays reserved until this pod is deleted.";
        pods.fail(pod, message, clock.instant());
        metrics.bootFailure("vm_lost");
        LOG.warn(
                "pod {}/{} ({}): VM of node {} lost ({}): pod failed",
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                pod.getMetadata().getUid(),
                node,
                why);
        events.publish(pod, Reason.VmLost, message);
    }
}
