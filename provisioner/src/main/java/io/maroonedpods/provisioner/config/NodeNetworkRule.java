package io.maroonedpods.provisioner.config;

/**
 * May VMs be created on the configured node network? Pure. The node LAN always; the pod network only while the host
 * cluster has a single node: a VM's VXLAN endpoint is then a pod IP of its host, which every other node routes back
 * into its own flannel.1, where the vxlan driver drops it (node-network/README.md measures it). A configuration
 * cannot know the node count, so the provisioner counts the nodes that are not VM nodes before it creates a VM.
 */
public final class NodeNetworkRule {
    /** The field a problem names, and the prefix ConfigStatus knows it by. */
    public static final String FIELD = "spec.nodeNetwork";

    private NodeNetworkRule() {}

    /**
     * @param onNodeLan whether spec.nodeNetwork names the node LAN
     * @param hostNodes how many nodes of the cluster are not VM nodes (counting may stop at 2)
     * @return why no VM may be created, or null
     */
    public static String problem(boolean onNodeLan, int hostNodes) {
        if (onNodeLan || hostNodes <= 1) {
            return null;
        }
        return FIELD + ": unset, so VM nodes would sit on the pod network, which carries their traffic only on a"
                + " single-node host cluster, and this cluster has more than one node: set"
                + " spec.nodeNetwork.networkAttachment to a NetworkAttachmentDefinition of the node LAN (see"
                + " manifests/README.md, Node network)";
    }
}
