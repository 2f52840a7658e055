package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.maroonedpods.provisioner.edit.OnConflict;
import io.maroonedpods.provisioner.join.JoinCredentials;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.node.NodeVerdict;
import io.maroonedpods.provisioner.node.NodeVerification;
import io.maroonedpods.provisioner.node.VerifiedLabelPatch;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sets the restricted label — the only thing the extender trusts — on a node that passed verification, with a patch
 * that applies only while the fields verified are unchanged ({@link VerifiedLabelPatch}): if the node changed in a way
 * that matters (a second registration, new addresses), nothing is labelled on stale evidence; the node is then read
 * fresh, verified again and labelled at once ({@link OnConflict#retryTested}).
 */
final class NodeLabeler {
    private final KubernetesClient client;
    private final JoinCredentials credentials;

    NodeLabeler(KubernetesClient client, JoinCredentials credentials) {
        this.client = client;
        this.credentials = credentials;
    }

    /**
     * @param seen the node as the informer delivered it: verified and labelled first, so the usual case costs one
     *             write; when that write is refused the node is read fresh
     */
    NodeVerdict verifyAndLabel(VirtualMachineInstance vmi, Node seen, String podUid, String dedicatedTaintKey) {
        AtomicReference<Node> next = new AtomicReference<>(seen);
        return OnConflict.retryTested(() -> {
            Node node = next.getAndSet(null);
            return labelIfVerified(vmi, node != null ? node : client.nodes().withName(vmi.getMetadata().getName()).get(),
                    podUid, dedicatedTaintKey);
        });
    }

    private NodeVerdict labelIfVerified(VirtualMachineInstance vmi, Node node, String podUid, String dedicatedTaintKey) {
        if (node == null) {
            return new NodeVerdict(NodeVerdict.Outcome.WAITING, List.of("node is gone"));
        }
        NodeVerdict verdict = NodeVerification.check(node, vmi, podUid, dedicatedTaintKey);
        if (!verdict.is(NodeVerdict.Outcome.VERIFIED)) {
            return verdict;
        }
        // The VM has joined: its bootstrap token is done. Revoked before the label, so that no pod is ever placed on a
        // node whose token still works; a failed deletion leaves the node unlabelled and is tried again.
        credentials.revoke(vmi);
        String patch = VerifiedLabelPatch.of(node, podUid, dedicatedTaintKey,
                client.getKubernetesSerialization()).toString();
        // Through the node at hand (not the named resource), so the client does not read it once more first.
        client.resource(node).patch(PatchContext.of(PatchType.JSON), patch);
        return verdict;
    }
}
