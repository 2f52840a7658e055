package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.provisioner.edit.OnConflict;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.node.NodeVerdict;
import io.maroonedpods.provisioner.node.NodeVerification;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sets the restricted label — the only thing the extender trusts — on a node that passed verification. The update
 * carries the resourceVersion of the very node version that was verified: if the node changed since (a second
 * registration, new addresses), the update fails and nothing is labelled on stale evidence; the node is then read
 * fresh, verified again and labelled at once ({@link OnConflict}).
 */
final class NodeLabeler {
    private final KubernetesClient client;

    NodeLabeler(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @param seen the node as the informer delivered it: verified and updated first, with its resourceVersion, so the
     *             usual case costs one write; after a conflict the node is read fresh
     */
    NodeVerdict verifyAndLabel(VirtualMachineInstance vmi, Node seen, String podUid, String dedicatedTaintKey) {
        AtomicReference<Node> next = new AtomicReference<>(new NodeBuilder(seen).build());
        return OnConflict.retry(() -> {
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
        var labels = new HashMap<>(node.getMetadata().getLabels() == null ? Map.<String, String>of()
                : node.getMetadata().getLabels());
        labels.put(Names.VERIFIED_POD_UID_LABEL, podUid);
        node.getMetadata().setLabels(labels);
        client.nodes().resource(node).update();
        return verdict;
    }
}
