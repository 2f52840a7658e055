package io.maroonedpods.provisioner.pool;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.maroonedpods.api.Names;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.apply.Apply;
import io.maroonedpods.provisioner.join.JoinCredentials;
import io.maroonedpods.provisioner.lifecycle.Teardown;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool keeper's writes to the spares: a verified VM marked available, a surplus one retired, and what is left of a
 * VM whose VMI is gone deleted. Every VMI write holds the VMI's labels (tested as read, through {@link Apply}): a claim
 * or a quarantine in between wins, and the keeper leaves the VM to it.
 */
final class PoolSpares {
    private static final Logger LOG = LoggerFactory.getLogger(PoolSpares.class);
    private static final List<String> LABELS = List.of("/metadata/labels");
    private final KubernetesClient client;
    private final Teardown teardown;
    private final JoinCredentials credentials;
    private final Apply apply;

    PoolSpares(KubernetesClient client, Teardown teardown, JoinCredentials credentials) {
        this.client = client;
        this.teardown = teardown;
        this.credentials = credentials;
        this.apply = new Apply(client);
    }

    /**
     * Node first, then the VMI: claimers look at the VMI's label, and a claim re-verifies the node anyway. The VM's
     * bootstrap token goes before either: no pod is ever placed on a node whose token still works.
     */
    void markAvailable(VirtualMachineInstance vmi, Node node, String dedicatedTaintKey) {
        String name = vmi.getMetadata().getName();
        try {
            credentials.revoke(vmi);
            Node marked = apply.edit(
                            client.nodes().withName(name),
                            node,
                            PoolNode.EVIDENCE,
                            current -> PoolNode.available(current, vmi, dedicatedTaintKey))
                    .object();
            if (marked == null || !marked.getMetadata().getLabels().containsKey(Names.POOL_AVAILABLE_LABEL)) {
                return; // no longer verified: the next pass looks again
            }
            Apply.Applied<VirtualMachineInstance> applied = apply.edit(
                    KubeVirt.vmis(client, vmi.getMetadata().getNamespace()).withName(name),
                    vmi,
                    LABELS,
                    PoolSpares::available);
            if (applied.wrote()) {
                LOG.info("pool VM {} verified (name, InternalIP, systemUUID): available", name);
            }
        } catch (KubernetesClientException e) {
            LOG.debug("pool VM {} changed while being marked available ({}): next pass", name, e.getCode());
        }
    }

    /**
     * Takes a spare out of the pool, then deletes it. Read first and written while its labels are as read: a pod that
     * claimed the VMI meanwhile wins (its guard fails here, the re-read sees the claim) and the VM is left to it. One
     * still booting carries no available label and cannot be claimed: nothing to write before it is deleted.
     */
    void retire(VirtualMachineInstance vmi) {
        String name = vmi.getMetadata().getName();
        VirtualMachineInstance retired;
        try {
            retired = apply.edit(
                            KubeVirt.vmis(client, vmi.getMetadata().getNamespace())
                                    .withName(name),
                            null,
                            LABELS,
                            PoolSpares::unavailable)
                    .object();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 || e.getCode() == 422) {
                return; // kept changing: the next pass decides again
            }
            throw e;
        }
        if (retired == null || PoolVm.claimedBy(retired) != null) {
            return;
        }
        LOG.info("pool shrinks: deleting spare pool VM {}", name);
        teardown.vm(name);
    }

    /**
     * Pool nodes and Secrets whose VMI is gone. A claimed node's name stays locked (its password Secret is kept): a
     * pod may still be bound to it, and the pod controller fails that pod and releases the name when it is gone.
     */
    void removeOrphans(Map<String, Node> nodes, List<Secret> poolSecrets, Set<String> poolVmis, String vmNamespace) {
        nodes.values().stream()
                .filter(node -> !poolVmis.contains(node.getMetadata().getName()))
                .forEach(node -> {
                    String name = node.getMetadata().getName();
                    boolean claimed = node.getMetadata().getLabels().containsKey(Names.POD_UID_LABEL);
                    LOG.info(
                            "pool node {} has no VMI: deleted {}",
                            name,
                            claimed ? teardown.staleNodeKeepingName(name) : teardown.staleNode(name));
                });
        // A pool VM whose creation stopped before its VMI: its token first, since only this Secret names it.
        poolSecrets.stream()
                .filter(s -> s.getMetadata().getName().endsWith(Names.USERDATA_SUFFIX))
                .filter(s -> !poolVmis.contains(vmNameOf(s)))
                .forEach(s -> {
                    String tokenId = Teardown.tokenIdOf(s);
                    if (tokenId != null) {
                        credentials.revoke(tokenId);
                    }
                    apply.delete(client.secrets()
                            .inNamespace(vmNamespace)
                            .withName(s.getMetadata().getName()));
                });
    }

    /** Marked available, unless claimed or quarantined meanwhile. */
    private static VirtualMachineInstance available(VirtualMachineInstance vmi) {
        if (PoolVm.claimedBy(vmi) == null && !PoolVm.heldStranger(vmi)) {
            vmi.getMetadata()
                    .setLabels(PoolNode.with(vmi.getMetadata().getLabels(), Names.POOL_AVAILABLE_LABEL, "true"));
        }
        return vmi;
    }

    /** No longer available, unless claimed meanwhile (then it is the pod's and stays as it is). */
    private static VirtualMachineInstance unavailable(VirtualMachineInstance vmi) {
        if (PoolVm.claimedBy(vmi) == null && vmi.getMetadata().getLabels() != null) {
            Map<String, String> labels = new HashMap<>(vmi.getMetadata().getLabels());
            labels.remove(Names.POOL_AVAILABLE_LABEL);
            vmi.getMetadata().setLabels(labels);
        }
        return vmi;
    }

    private static String vmNameOf(Secret userdata) {
        String name = userdata.getMetadata().getName();
        return name.substring(0, name.length() - Names.USERDATA_SUFFIX.length());
    }
}
