package io.maroonedpods.provisioner.pool;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.maroonedpods.api.Names;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.apply.Apply;
import io.maroonedpods.provisioner.lifecycle.Teardown;
import io.maroonedpods.provisioner.node.NodeVerdict;
import io.maroonedpods.provisioner.node.NodeVerification;
import io.maroonedpods.provisioner.vm.DesiredVm;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pod takes a verified warm-pool VM. Two writes through {@link Apply}, each conditional on what it depends on:
 * <ol>
 *   <li>the VMI gets the pod's labels and loses {@link Names#POOL_AVAILABLE_LABEL}, while its labels are as read. The
 *       VMI is the lock: of two pods (or a pod and the shrinking pool, or a quarantine) racing for it, one patch wins;
 *       the other's guard fails (422), it reads the VMI again, sees it taken and moves on to the next;</li>
 *   <li>the node, re-read and re-verified as a pool node, gets in ONE patch the pod's self-label, the restricted
 *       label and its pool taint replaced by {@code <taintKey>/dedicated=<uid>:NoSchedule}, so it is never without a
 *       taint and never carries the restricted label with the pool taint; the patch applies only while the evidence
 *       it was verified on is unchanged ({@link PoolNode#EVIDENCE}).</li>
 * </ol>
 * Before the second write the node's pods are checked: a VM whose node held a stranger (a pod now on it that is not
 * the claimer's, or the VMI's {@link Names#HELD_STRANGER_LABEL}) is destroyed instead. A crash between the two writes
 * leaves a claimed VMI with a pool node; the pod's next reconcile finishes the node step ({@link #finish}) or, if the
 * node is gone or no longer matches, destroys the VM: it is never handed back.
 */
public final class PoolClaim {
    private static final Logger LOG = LoggerFactory.getLogger(PoolClaim.class);
    private final KubernetesClient client;
    private final String vmNamespace;
    private final Teardown teardown;
    private final BiPredicate<String, String> strangerOn;
    private final Apply apply;
    /** What a claim depends on but does not change: no other claim, retirement or quarantine in between. */
    private static final List<String> HELD = List.of("/metadata/labels");

    public enum Outcome {
        /** The node is the pod's now: restricted label and the pod's taint are set. */
        CLAIMED,
        /** Not finished yet (a write conflicted, the node is not verifiable right now): look again shortly. */
        PENDING,
        /** The claimed VM was unusable and has been destroyed. */
        DESTROYED
    }

    /**
     * @param strangerOn whether a pod other than the claimer's is on the node now (node name, claimer's UID), as the
     *                   API server has it: see {@code IsolationGuard#strangerOn}
     */
    public PoolClaim(
            KubernetesClient client, String vmNamespace, Teardown teardown, BiPredicate<String, String> strangerOn) {
        this.client = client;
        this.vmNamespace = vmNamespace;
        this.teardown = teardown;
        this.strangerOn = strangerOn;
        this.apply = new Apply(client);
    }

    /** True when some VMI (the pod's own or a claimed pool VMI) exists for the pod: the API, not the cache, says. */
    public boolean podHasVm(String podUid) {
        return !KubeVirt.vmis(client, vmNamespace)
                .withLabel(Names.POD_UID_LABEL, podUid)
                .list()
                .getItems()
                .isEmpty();
    }

    /** A claim that was recorded on VMI {@code vmi}: finished ({@code CLAIMED}) or to be finished ({@code PENDING}). */
    public record Claimed(String vmi, Outcome outcome) {}

    /** Tries the VMIs in {@code order}; empty when none could be claimed (the pod boots its own VM then). */
    public Optional<Claimed> claim(Pod pod, String dedicatedTaintKey, List<String> order) {
        for (String name : order) {
            VirtualMachineInstance claimed = claimVmi(pod, name);
            if (claimed == null) {
                continue;
            }
            Outcome outcome = finish(pod.getMetadata().getUid(), dedicatedTaintKey, claimed);
            if (outcome != Outcome.DESTROYED) {
                return Optional.of(new Claimed(name, outcome));
            }
        }
        return Optional.empty();
    }

    private VirtualMachineInstance claimVmi(Pod pod, String name) {
        try {
            Apply.Applied<VirtualMachineInstance> applied =
                    apply.edit(KubeVirt.vmis(client, vmNamespace).withName(name), null, HELD, vmi -> claimed(vmi, pod));
            return applied.outcome() == Apply.Outcome.PATCHED ? applied.object() : null;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 || e.getCode() == 422) {
                LOG.debug("pool VMI {} kept changing ({}), trying the next", name, e.getCode());
                return null;
            }
            throw e;
        }
    }

    /** The VMI as the pod's; as it is when it is no longer available (claimed, retired or quarantined meanwhile). */
    static VirtualMachineInstance claimed(VirtualMachineInstance vmi, Pod pod) {
        if (!PoolVm.isPool(vmi) || !PoolVm.available(vmi)) {
            LOG.debug(
                    "pool VMI {} was taken meanwhile, trying the next",
                    vmi.getMetadata().getName());
            return vmi;
        }
        Map<String, String> labels = new HashMap<>(vmi.getMetadata().getLabels());
        labels.remove(Names.POOL_AVAILABLE_LABEL);
        labels.putAll(DesiredVm.labels(pod));
        vmi.getMetadata().setLabels(labels);
        Map<String, String> annotations = vmi.getMetadata().getAnnotations() == null
                ? new HashMap<>()
                : new HashMap<>(vmi.getMetadata().getAnnotations());
        annotations.put(Names.POD_NAME_ANNOTATION, pod.getMetadata().getName());
        vmi.getMetadata().setAnnotations(annotations);
        return vmi;
    }

    /** The node step of a claim recorded on {@code vmi}; safe to repeat. */
    public Outcome finish(String podUid, String dedicatedTaintKey, VirtualMachineInstance vmi) {
        String name = vmi.getMetadata().getName();
        Node node = client.nodes().withName(name).get();
        if (NodeVerification.isVerifiedFor(node, podUid)) {
            return Outcome.CLAIMED;
        }
        NodeVerdict verdict = node == null
                ? new NodeVerdict(NodeVerdict.Outcome.REJECTED, List.of("node is gone"))
                : NodeVerification.checkPool(node, vmi, dedicatedTaintKey);
        if (verdict.is(NodeVerdict.Outcome.WAITING)) {
            return Outcome.PENDING;
        }
        if (verdict.is(NodeVerdict.Outcome.REJECTED)) {
            LOG.warn("claimed pool VM {} is unusable ({}): destroying it", name, verdict.summary());
            teardown.vm(name);
            return Outcome.DESTROYED;
        }
        // The node's pods before it becomes the pod's: a VM that ran a stranger is never handed to a tenant.
        if (PoolVm.heldStranger(vmi) || strangerOn.test(name, podUid)) {
            LOG.warn("claimed pool VM {} held a pod that was not its own: destroying it", name);
            teardown.vm(name);
            return Outcome.DESTROYED;
        }
        try {
            Node written = apply.edit(
                            client.nodes().withName(name),
                            node,
                            PoolNode.EVIDENCE,
                            current -> PoolNode.dedicated(current, vmi, podUid, dedicatedTaintKey))
                    .object();
            // Not verified for the pod: the node changed since it was verified (or is gone); verify again shortly.
            return NodeVerification.isVerifiedFor(written, podUid) ? Outcome.CLAIMED : Outcome.PENDING;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 || e.getCode() == 422) {
                return Outcome.PENDING; // the node kept changing: verify again
            }
            throw e;
        }
    }
}
