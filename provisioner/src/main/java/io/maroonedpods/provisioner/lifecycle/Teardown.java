package io.maroonedpods.provisioner.lifecycle;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.kubevirt.KubeVirt;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes everything that exists for one pod's VM: the VMI, its cloud-init Secret, the Node and the node password
 * Secret k3s keeps in kube-system (left behind, it would refuse the next VM that registers under the same name).
 * Deleting what is already gone is fine: teardown is called again after restarts and by the sweep.
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
     * Deletes the pod's VM and its node — its own {@code maroon-<uid>} and any warm-pool VM it claimed — and returns
     * what was actually deleted, for the TornDown Event. A claimed pool VM is destroyed, never returned to the pool.
     */
    public List<String> all(String podUid) {
        List<String> deleted = new ArrayList<>(vm(Names.nodeName(podUid)));
        KubeVirt.vmis(client, vmNamespace).withLabel(Names.POD_UID_LABEL, podUid).list().getItems().stream()
                .map(vmi -> vmi.getMetadata().getName()).filter(name -> name.startsWith(Names.POOL_NODE_PREFIX))
                .forEach(name -> deleted.addAll(vm(name)));
        if (!deleted.isEmpty()) {
            LOG.info("torn down for pod UID {}: {}", podUid, String.join(", ", deleted));
        }
        return deleted;
    }

    /** Deletes one VM by name: VMI, cloud-init Secret, Node, node password. */
    public List<String> vm(String name) {
        List<String> deleted = new ArrayList<>();
        if (!KubeVirt.vmis(client, vmNamespace).withName(name).delete().isEmpty()) {
            deleted.add("VMI " + vmNamespace + "/" + name);
        }
        String secret = Names.userdataSecretName(name);
        if (!client.secrets().inNamespace(vmNamespace).withName(secret).delete().isEmpty()) {
            deleted.add("Secret " + vmNamespace + "/" + secret);
        }
        deleted.addAll(staleNode(name));
        return deleted;
    }

    /** Deletes a Node and its k3s password Secret: a fresh VM must register and be verified afresh. */
    public List<String> staleNode(String nodeName) {
        List<String> deleted = new ArrayList<>();
        if (!client.nodes().withName(nodeName).delete().isEmpty()) {
            deleted.add("Node " + nodeName);
        }
        String password = Names.k3sNodePasswordSecret(nodeName);
        if (!client.secrets().inNamespace(Names.K3S_NODE_PASSWORD_NAMESPACE).withName(password).delete().isEmpty()) {
            deleted.add("Secret " + Names.K3S_NODE_PASSWORD_NAMESPACE + "/" + password);
        }
        return deleted;
    }
}
