package io.maroonedpods.provisioner.lifecycle;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.maroonedpods.api.Names;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.apply.Apply;
import io.maroonedpods.provisioner.join.JoinCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes everything that exists for one pod's VM: its bootstrap token, the VMI (and with it, through the garbage
 * collector, its cloud-init Secret, which it owns; the Secret is deleted here only when no VMI was there), the Node and
 * the node password Secret k3s keeps in kube-system (left behind, it would refuse the next VM that registers under the
 * same name). While the pod still exists and is bound to the node, that password Secret stays: it keeps the name
 * locked, so no other VM can take the name of a node a pod is bound to. Deleting what is already gone is fine:
 * teardown is called again after restarts, on retries and by the sweep.
 */
public final class Teardown {
    private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);
    private final KubernetesClient client;
    private final String vmNamespace;
    private final JoinCredentials credentials;
    private final Apply apply;

    public Teardown(KubernetesClient client, String vmNamespace) {
        this.client = client;
        this.vmNamespace = vmNamespace;
        this.credentials = new JoinCredentials(client);
        this.apply = new Apply(client);
    }

    /** The pod is gone (or never got a node): everything, name locks included. */
    public List<String> all(String podUid) {
        return all(podUid, null);
    }

    /**
     * The pod is gone: its VM and node — its own {@code maroon-<uid>} and any warm-pool VM it claimed (destroyed, never
     * returned to the pool) — and the name lock of {@code boundNode}, the node it was bound to (for a claimed pool VM
     * whose VMI went earlier, the one name not derived from the UID). Returns what was actually deleted, for the
     * TornDown Event. Every deletion is tried even if an earlier one failed, and the Node goes last, only after its
     * password Secret: whatever a failure leaves behind is still found by the sweep (which starts from VMIs, userdata
     * Secrets and Nodes) or, for a pool VM, by the pool keeper (which deletes pool nodes and Secrets without a VMI).
     *
     * @throws KubernetesClientException the first failure, after trying the rest, so that the caller retries
     */
    public List<String> all(String podUid, String boundNode) {
        Deletions deletions = tearDown(podUid, false);
        if (boundNode != null && Names.isMaroonNodeName(boundNode) && !boundNode.equals(Names.nodeName(podUid))) {
            deletions.run(
                    "Secret " + Names.K3S_NODE_PASSWORD_NAMESPACE + "/" + Names.k3sNodePasswordSecret(boundNode),
                    () -> credentials.deletePassword(boundNode));
        }
        return finish(podUid, deletions);
    }

    /**
     * The pod still exists and is bound to its node, but its VM is no longer needed (the pod finished) or was lost:
     * everything but the node name's password Secret, which keeps the name locked until the pod is gone.
     */
    public List<String> keepingName(String podUid, String boundNode) {
        Deletions deletions = tearDown(podUid, true);
        if (boundNode != null && boundNode.startsWith(Names.POOL_NODE_PREFIX)) {
            // A claimed pool VM whose VMI went first: its node is not found through the VMI any more.
            deletions.run("Node " + boundNode, () -> apply.delete(client.nodes().withName(boundNode)));
        }
        return finish(podUid, deletions);
    }

    /**
     * A pod's VM as the caches show it: its VMI, and whether its node carries the restricted label (set only after the
     * token was revoked).
     */
    public record KnownVm(VirtualMachineInstance vmi, boolean nodeVerified) {
        public String name() {
            return vmi.getMetadata().getName();
        }

        /** The id of its bootstrap token (the VMI's annotation), or null. */
        public String tokenId() {
            var annotations = vmi.getMetadata().getAnnotations();
            return annotations == null ? null : annotations.get(Names.BOOTSTRAP_TOKEN_ID_LABEL);
        }
    }

    /**
     * The same as {@link #all(String, String)} or {@link #keepingName} for a VM the caches show: no list of the pod's
     * VMIs and no read for its token (a claim the caches missed is found by the sweep). Only that VM goes: a VMI since
     * created by its name (a new leader's next boot for the pod) and that VMI's userdata Secret are left alone.
     */
    public List<String> known(String podUid, KnownVm vm, boolean keepName, String boundNode) {
        Deletions deletions = new Deletions();
        boolean tokenGone = vm.nodeVerified()
                || deletions.run(
                        "the bootstrap token of " + vm.name(),
                        () -> vm.tokenId() != null ? credentials.revoke(vm.tokenId()) : revokeToken(vm.name()));
        if (tokenGone) {
            sameVmAndSecret(vm.vmi(), deletions);
        }
        nodeAndPasswordUnlessKept(vm.name(), deletions, keepName);
        if (!keepName && boundNode != null && Names.isMaroonNodeName(boundNode) && !boundNode.equals(vm.name())) {
            deletions.run(
                    "Secret " + Names.K3S_NODE_PASSWORD_NAMESPACE + "/" + Names.k3sNodePasswordSecret(boundNode),
                    () -> credentials.deletePassword(boundNode));
        }
        return finish(podUid, deletions);
    }

    private Deletions tearDown(String podUid, boolean keepName) {
        Deletions deletions = new Deletions();
        vm(Names.nodeName(podUid), deletions, keepName);
        try {
            KubeVirt.vmis(client, vmNamespace).withLabel(Names.POD_UID_LABEL, podUid).list().getItems().stream()
                    .map(vmi -> vmi.getMetadata().getName())
                    .filter(name -> name.startsWith(Names.POOL_NODE_PREFIX))
                    .forEach(name -> vm(name, deletions, keepName));
        } catch (KubernetesClientException e) {
            deletions.failed("listing the pool VMIs claimed by " + podUid, e);
        }
        return deletions;
    }

    private List<String> finish(String podUid, Deletions deletions) {
        if (!deletions.deleted.isEmpty()) {
            LOG.info("torn down for pod UID {}: {}", podUid, String.join(", ", deletions.deleted));
        }
        deletions.throwFirstFailure();
        return deletions.deleted;
    }

    /** Deletes one VM by name (a pool VM that failed or is retired): VMI, cloud-init Secret, node password, Node. */
    public List<String> vm(String name) {
        Deletions deletions = new Deletions();
        vm(name, deletions, false);
        deletions.throwFirstFailure();
        return deletions.deleted;
    }

    private void vm(String name, Deletions deletions, boolean keepName) {
        // The token first: its id is on the userdata Secret and the VMI, the only records of it (the provisioner cannot
        // list kube-system). Until it is revoked both stay, so that the next teardown finds it again.
        if (!deletions.run("the bootstrap token of " + name, () -> revokeToken(name))) {
            nodeAndPasswordUnlessKept(name, deletions, keepName);
            return;
        }
        vmAndSecret(name, deletions);
        nodeAndPasswordUnlessKept(name, deletions, keepName);
    }

    /**
     * The VMI, and its userdata Secret unless the VMI was there to take it along: the Secret is owned by its VMI, so
     * Kubernetes' garbage collector deletes it with the VMI.
     */
    private void vmAndSecret(String name, Deletions deletions) {
        String vmi = "VMI " + vmNamespace + "/" + name;
        deletions.run(vmi, () -> apply.delete(KubeVirt.vmis(client, vmNamespace).withName(name)));
        secretUnlessTakenAlong(name, vmi, deletions, secret -> true);
    }

    /** The same for one VMI only: not for another created by its name since, nor that one's Secret. */
    private void sameVmAndSecret(VirtualMachineInstance known, Deletions deletions) {
        String name = known.getMetadata().getName();
        String uid = known.getMetadata().getUid();
        String vmi = "VMI " + vmNamespace + "/" + name;
        deletions.run(
                vmi, () -> apply.deleteSame(KubeVirt.vmis(client, vmNamespace).withName(name), known));
        secretUnlessTakenAlong(
                name,
                vmi,
                deletions,
                secret -> secret.getMetadata().getOwnerReferences().stream()
                        .allMatch(owner -> uid.equals(owner.getUid())));
    }

    private void secretUnlessTakenAlong(String name, String vmi, Deletions deletions, Predicate<Secret> ours) {
        String secret = "Secret " + vmNamespace + "/" + Names.userdataSecretName(name);
        if (deletions.deleted.contains(vmi)) {
            deletions.deleted.add(secret + " (by the garbage collector, with its VMI)");
            return;
        }
        deletions.run(
                secret,
                () -> apply.deleteIf(
                        client.secrets().inNamespace(vmNamespace).withName(Names.userdataSecretName(name)), ours));
    }

    private void nodeAndPasswordUnlessKept(String name, Deletions deletions, boolean keepName) {
        if (keepName) {
            deletions.run("Node " + name, () -> apply.delete(client.nodes().withName(name)));
        } else {
            nodeAndPassword(name, deletions);
        }
    }

    /**
     * Revokes the bootstrap token of VM {@code name}, named by the label on its userdata Secret or, when that is gone,
     * the annotation on its VMI. True when a token was deleted now.
     *
     * @throws KubernetesClientException when either could not be read or the token not deleted: nothing that names
     *                                   the token may be deleted then
     */
    public boolean revokeToken(String name) {
        Secret userdata = client.secrets()
                .inNamespace(vmNamespace)
                .withName(Names.userdataSecretName(name))
                .get();
        String id = userdata == null ? null : tokenIdOf(userdata);
        if (id == null) {
            var vmi = KubeVirt.vmis(client, vmNamespace).withName(name).get();
            id = vmi == null || vmi.getMetadata().getAnnotations() == null
                    ? null
                    : vmi.getMetadata().getAnnotations().get(Names.BOOTSTRAP_TOKEN_ID_LABEL);
        }
        return id != null && credentials.revoke(id);
    }

    /** The id of the bootstrap token a userdata Secret carries, or null. */
    public static String tokenIdOf(Secret userdata) {
        return userdata.getMetadata().getLabels() == null
                ? null
                : userdata.getMetadata().getLabels().get(Names.BOOTSTRAP_TOKEN_ID_LABEL);
    }

    /** Deletes a Node and its k3s password Secret: a fresh VM must register and be verified afresh. */
    public List<String> staleNode(String nodeName) {
        Deletions deletions = new Deletions();
        nodeAndPassword(nodeName, deletions);
        deletions.throwFirstFailure();
        return deletions.deleted;
    }

    /** Deletes a Node whose VM is gone but whose name a pod may still be bound to: its password Secret stays. */
    public List<String> staleNodeKeepingName(String nodeName) {
        Deletions deletions = new Deletions();
        deletions.run("Node " + nodeName, () -> apply.delete(client.nodes().withName(nodeName)));
        deletions.throwFirstFailure();
        return deletions.deleted;
    }

    private void nodeAndPassword(String nodeName, Deletions deletions) {
        String password = Names.k3sNodePasswordSecret(nodeName);
        boolean passwordGone = deletions.run(
                "Secret " + Names.K3S_NODE_PASSWORD_NAMESPACE + "/" + password,
                () -> credentials.deletePassword(nodeName));
        if (passwordGone) {
            deletions.run("Node " + nodeName, () -> apply.delete(client.nodes().withName(nodeName)));
        }
    }

    /** Deletions that go on after a failure and report the first one at the end. */
    private static final class Deletions {
        final List<String> deleted = new ArrayList<>();
        KubernetesClientException firstFailure;

        /** Runs one deletion (true: something was deleted now); false when it failed. */
        boolean run(String what, BooleanSupplier delete) {
            try {
                if (delete.getAsBoolean()) {
                    deleted.add(what);
                }
                return true;
            } catch (KubernetesClientException e) {
                failed("deleting " + what, e);
                return false;
            }
        }

        void failed(String what, KubernetesClientException e) {
            LOG.debug("{} failed: {}", what, e.getMessage());
            if (firstFailure == null) {
                firstFailure = e;
            }
        }

        void throwFirstFailure() {
            if (firstFailure != null) {
                throw firstFailure;
            }
        }
    }
}
