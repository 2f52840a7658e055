package io.maroonedpods.provisioner.lifecycle;

import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.maroonedpods.api.Names;
import io.maroonedpods.kubevirt.KubeVirt;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes everything that exists for one pod's VM: the VMI, its cloud-init Secret, the Node and the node password
 * Secret k3s keeps in kube-system (left behind, it would refuse the next VM that registers under the same name).
 * Deleting what is already gone is fine: teardown is called again after restarts, on retries and by the sweep.
 */
public final class Teardown {
    private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);
    private final KubernetesClient client;
    private final String vmNamespace;

    public Teardown(KubernetesClient client, String vmNamespace) {
        this.client = client;
        this.vmNamespace = vmNamespace;
    }

    /**
     * Deletes the pod's VM and its node — its own {@code maroon-<uid>} and any warm-pool VM it claimed (destroyed,
     * never returned to the pool) — and returns what was actually deleted, for the TornDown Event. Every deletion is
     * tried even if an earlier one failed, and the Node goes last, only after its password Secret: whatever a failure
     * leaves behind is still found by the sweep (which starts from VMIs, userdata Secrets and Nodes) or, for a pool
     * VM, by the pool keeper (which deletes pool nodes and Secrets without a VMI).
     *
     * @throws KubernetesClientException the first failure, after trying the rest, so that the caller retries
     */
    public List<String> all(String podUid) {
        Deletions deletions = new Deletions();
        vm(Names.nodeName(podUid), deletions);
        try {
            KubeVirt.vmis(client, vmNamespace).withLabel(Names.POD_UID_LABEL, podUid).list().getItems().stream()
                    .map(vmi -> vmi.getMetadata().getName()).filter(name -> name.startsWith(Names.POOL_NODE_PREFIX))
                    .forEach(name -> vm(name, deletions));
        } catch (KubernetesClientException e) {
            deletions.failed("listing the pool VMIs claimed by " + podUid, e);
        }
        if (!deletions.deleted.isEmpty()) {
            LOG.info("torn down for pod UID {}: {}", podUid, String.join(", ", deletions.deleted));
        }
        deletions.throwFirstFailure();
        return deletions.deleted;
    }

    /** Deletes one VM by name (a pool VM that failed or is retired): VMI, cloud-init Secret, node password, Node. */
    public List<String> vm(String name) {
        Deletions deletions = new Deletions();
        vm(name, deletions);
        deletions.throwFirstFailure();
        return deletions.deleted;
    }

    private void vm(String name, Deletions deletions) {
        String secret = Names.userdataSecretName(name);
        deletions.run("VMI " + vmNamespace + "/" + name, () -> KubeVirt.vmis(client, vmNamespace).withName(name).delete());
        deletions.run("Secret " + vmNamespace + "/" + secret,
                () -> client.secrets().inNamespace(vmNamespace).withName(secret).delete());
        nodeAndPassword(name, deletions);
    }

    /** Deletes a Node and its k3s password Secret: a fresh VM must register and be verified afresh. */
    public List<String> staleNode(String nodeName) {
        Deletions deletions = new Deletions();
        nodeAndPassword(nodeName, deletions);
        deletions.throwFirstFailure();
        return deletions.deleted;
    }

    private void nodeAndPassword(String nodeName, Deletions deletions) {
        String password = Names.k3sNodePasswordSecret(nodeName);
        boolean passwordGone = deletions.run("Secret " + Names.K3S_NODE_PASSWORD_NAMESPACE + "/" + password,
                () -> client.secrets().inNamespace(Names.K3S_NODE_PASSWORD_NAMESPACE).withName(password).delete());
        if (passwordGone) {
            deletions.run("Node " + nodeName, () -> client.nodes().withName(nodeName).delete());
        }
    }

    /** Deletions that go on after a failure and report the first one at the end. */
    private static final class Deletions {
        final List<String> deleted = new ArrayList<>();
        KubernetesClientException firstFailure;

        boolean run(String what, Supplier<List<StatusDetails>> delete) {
            try {
                if (!delete.get().isEmpty()) {
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
