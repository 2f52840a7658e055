package io.maroonedpods.kubevirt;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;

/**
 * The client facade: fabric8's usual operations (create, get, list, watch, delete, edit, inform) on typed VMIs.
 *
 * <pre>{@code KubeVirt.vmis(client, "maroonedpods-nodes").withName("maroon-...").get()}</pre>
 */
public final class KubeVirt {
    private KubeVirt() {}

    /** VMIs in one namespace. */
    public static NonNamespaceOperation<
                    VirtualMachineInstance, VirtualMachineInstanceList, Resource<VirtualMachineInstance>>
            vmis(KubernetesClient client, String namespace) {
        return allVmis(client).inNamespace(namespace);
    }

    /** VMIs in every namespace (list and watch need cluster-wide permission). */
    public static MixedOperation<VirtualMachineInstance, VirtualMachineInstanceList, Resource<VirtualMachineInstance>>
            allVmis(KubernetesClient client) {
        return client.resources(VirtualMachineInstance.class, VirtualMachineInstanceList.class);
    }
}
