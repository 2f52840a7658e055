package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.events.Reason;
import io.maroonedpods.provisioner.lifecycle.BootRecord;
import java.time.Duration;

/** The one thing to do next for a pod, as {@link PodPlan} decides it; {@link PodActions} carries it out. */
sealed interface PodAction {

    /** Nothing to do until the next event. */
    record Nothing() implements PodAction {}

    /** Nothing to do now; look again after this long if no event comes first. */
    record Recheck(Duration after) implements PodAction {}

    /** A pod bound to a node that is not its VM's: not ours to act on. */
    record NotOurs(String boundTo) implements PodAction {}

    /**
     * The watch reported the pod deleted, but a label-selected watch also loses a live pod whose label was removed:
     * read it, and plan again on what is there.
     */
    record ConfirmGone() implements PodAction {}

    /**
     * Everything of the pod's VM goes. {@code keepName}: a pod bound to its node still exists, so the node name's
     * password Secret stays (no other VM may take the name). {@code openGate}: the pod no longer opts in, so our
     * scheduling gate goes too.
     */
    record TearDown(String cause, boolean keepName, boolean openGate) implements PodAction {}

    /** The configuration (or the cluster it points at) does not allow a VM now: say why, look again later. */
    record Refuse(Reason reason, String problem) implements PodAction {}

    /** The pod's VM (or node) looks lost in the caches while the pod is bound to it: confirm with the API, fail it. */
    record FailIfVmLost(String node) implements PodAction {}

    /** A warm-pool VM's claim is recorded on its VMI but not on its node yet: finish it. */
    record FinishClaim(VirtualMachineInstance vmi) implements PodAction {}

    /**
     * A boot stopped after its VMI was created and before the pod recorded it (the provisioner crashed or lost its
     * leadership there): its credentials and userdata Secret are made if missing, and the boot is recorded.
     */
    record FinishBoot(VirtualMachineInstance vmi, int attempt) implements PodAction {}

    /** No boot slot, no pool VM that fits: wait in line. */
    record Queue() implements PodAction {}

    /** Claim a pool VM that fits, else boot one. {@code staleNode}: a node by the VM's name exists without a VMI. */
    record ClaimOrBoot(BootRecord record, boolean staleNode) implements PodAction {}

    /** The node matches the VMI: label it, then settle the pod. */
    record Verify(VirtualMachineInstance vmi, Node node) implements PodAction {}

    /** A node by the VM's name does not match the VMI: a Warning, never a label. */
    record Reject(Node node, String why, Duration recheck) implements PodAction {}

    /** The node is verified: the toleration (if missing) and, once the node takes the pod, the open gate. */
    record Settle(boolean openGate) implements PodAction {}

    /** This boot failed: tear the VM down and back off before the next one. */
    record Retry(BootRecord record, String why) implements PodAction {}

    /** This boot failed and it was the last: tear the VM down and record the failure on the pod. */
    record GiveUp(BootRecord record, String why) implements PodAction {}
}
