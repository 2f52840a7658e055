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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    /** Node name → the node our label patch returned, and the version that patch was made over. */
    private final Map<String, Labelled> lastLabelled = new ConcurrentHashMap<>();

    private record Labelled(String over, Node result) {}

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
        AtomicReference<NodeVerdict> verdict =
                new AtomicReference<>(new NodeVerdict(NodeVerdict.Outcome.WAITING, List.of("node is gone")));
        AtomicBoolean revoked = new AtomicBoolean();
        Apply.Applied<Node> applied =
                apply.patch(client.nodes().withName(vmi.getMetadata().getName()), seen, node -> {
                    verdict.set(NodeVerification.check(node, vmi, podUid, dedicatedTaintKey));
                    if (!verdict.get().is(NodeVerdict.Outcome.VERIFIED)) {
                        return null;
                    }
                    // The VM has joined: its bootstrap token is done. Revoked before the label, so that no pod is ever
                    // placed
                    // on a node whose token still works; a failed deletion leaves the node unlabelled and is tried
                    // again.
                    if (revoked.compareAndSet(false, true)) {
                        credentials.revoke(vmi);
                    }
                    return VerifiedLabelPatch.of(node, podUid, dedicatedTaintKey, client.getKubernetesSerialization())
                            .toString();
                });
        if (applied.wrote() && applied.object() != null) {
            lastLabelled.put(
                    applied.object().getMetadata().getName(),
                    new Labelled(seen.getMetadata().getResourceVersion(), applied.object()));
        }
        return verdict.get();
    }

    /**
     * The newest copy of the node: the cache's, or the one our label patch returned while the cache still shows the
     * version it was made over. Deciding on it spares a second label patch (and a second token delete) when another
     * event of the node comes before our own.
     */
    Node latest(Node cached) {
        if (cached == null) {
            return null;
        }
        Labelled own = lastLabelled.get(cached.getMetadata().getName());
        if (own == null) {
            return cached;
        }
        if (!own.over().equals(cached.getMetadata().getResourceVersion())) {
            lastLabelled.remove(cached.getMetadata().getName(), own); // the cache has moved past it
            return cached;
        }
        return own.result();
    }
}
