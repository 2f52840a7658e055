package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.apply.Apply;
import io.maroonedpods.provisioner.join.JoinCredentials;
import io.maroonedpods.provisioner.node.NodeVerdict;
import io.maroonedpods.provisioner.node.NodeVerification;
import io.maroonedpods.provisioner.node.VerifiedLabelPatch;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sets the restricted label — the only thing the extender trusts — on a node that passed verification, with a patch
 * that applies only while the fields verified are unchanged ({@link VerifiedLabelPatch}): if the node changed in a way
 * that matters (a second registration, new addresses), nothing is labelled on stale evidence; the node is then read
 * fresh, verified again and labelled at once (the conflict policy of {@link Apply}).
 */
final class NodeLabeler {
    private final KubernetesClient client;
    private final JoinCredentials credentials;
    private final Apply apply;

    NodeLabeler(KubernetesClient client, JoinCredentials credentials) {
        this.client = client;
        this.apply = new Apply(client);
        this.credentials = credentials;
    }

    /**
     * @param seen the node as the informer delivered it: verified and labelled first, so the usual case costs one
     *             write; when that write is refused the node is read fresh
     */
    NodeVerdict verifyAndLabel(VirtualMachineInstance vmi, Node seen, String podUid, String dedicatedTaintKey) {
        AtomicReference<NodeVerdict> verdict = new AtomicReference<>(
                new NodeVerdict(NodeVerdict.Outcome.WAITING, List.of("node is gone")));
        AtomicBoolean revoked = new AtomicBoolean();
        apply.patch(client.nodes().withName(vmi.getMetadata().getName()), seen, node -> {
            verdict.set(NodeVerification.check(node, vmi, podUid, dedicatedTaintKey));
            if (!verdict.get().is(NodeVerdict.Outcome.VERIFIED)) {
                return null;
            }
            // The VM has joined: its bootstrap token is done. Revoked before the label, so that no pod is ever placed
            // on a node whose token still works; a failed deletion leaves the node unlabelled and is tried again.
            if (revoked.compareAndSet(false, true)) {
                credentials.revoke(vmi);
            }
            return VerifiedLabelPatch.of(node, podUid, dedicatedTaintKey, client.getKubernetesSerialization())
                    .toString();
        });
        return verdict.get();
    }
}
