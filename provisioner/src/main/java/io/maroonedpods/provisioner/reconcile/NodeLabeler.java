package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.provisioner.edit.OnConflict;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.node.NodeVerdict;
import io.maroonedpods.provisioner.node.NodeVerification;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets the restricted label — the only thing the extender trusts — on a node that passed verification. The node is
 * read fresh and verified again, and the update carries its resourceVersion: if the node changed in between (a second
 * registration, new addresses), the update fails and nothing is labelled on stale evidence; the new version is then
 * verified and labelled at once ({@link OnConflict}).
 */
final class NodeLabeler {
    private final KubernetesClient client;

    NodeLabeler(KubernetesClient client) {
        this.client = client;
    }

    NodeVerdict verifyAndLabel(VirtualMachineInstance vmi, String podUid, String dedicatedTaintKey) {
        return OnConflict.retry(() -> verifyAndLabelOnce(vmi, podUid, dedicatedTaintKey));
    }

    private NodeVerdict verifyAndLabelOnce(VirtualMachineInstance vmi, String podUid, String dedicatedTaintKey) {
        Node fresh = client.nodes().withName(vmi.getMetadata().getName()).get();
        if (fresh == null) {
            return new NodeVerdict(NodeVerdict.Outcome.WAITING, List.of("node is gone"));
        }
        NodeVerdict verdict = NodeVerification.check(fresh, vmi, podUid, dedicatedTaintKey);
        if (!verdict.is(NodeVerdict.Outcome.VERIFIED)) {
            return verdict;
        }
        var labels = new HashMap<>(fresh.getMetadata().getLabels() == null ? Map.<String, String>of()
                : fresh.getMetadata().getLabels());
        labels.put(Names.VERIFIED_POD_UID_LABEL, podUid);
        fresh.getMetadata().setLabels(labels);
        client.nodes().resource(fresh).update();
        return verdict;
    }
}
