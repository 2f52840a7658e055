package io.maroonedpods.api.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Desired configuration, as users write it. Every field is optional: {@link EffectiveConfig#of} fills the defaults
 * and validates. Field names follow the original node-image README so existing configurations keep working.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MaroonedPodsConfigSpec(
        @JsonPropertyDescription("Container image of the node VM (a containerDisk with the bootc qcow2 at /disk/),"
                + " pulled with IfNotPresent: use a version tag or a digest. With enableKernelBoot, latest and"
                + " references without a tag are refused.")
        String nodeImage,

        @JsonPropertyDescription(
                "Boot the VM's kernel directly from kernelBootConfig instead of through the disk's bootloader.")
        Boolean enableKernelBoot,

        @JsonPropertyDescription("Kernel, initrd and kernel arguments for kernel boot (KubeVirt >= 1.0).")
        KernelBootConfig kernelBootConfig,

        @JsonPropertyDescription("The smallest VM: whole CPUs and memory in MiB.")
        BaseVmResources baseVMResources,

        @JsonPropertyDescription("Added to the pod's request for the node's own components (k3s agent, kernel).")
        ResourceOverhead resourceOverhead,

        @JsonPropertyDescription("How many verified VM nodes to keep booted and unclaimed.")
        Integer warmPoolSize,

        @JsonPropertyDescription("Prefix of the dedicated taint key: <nodeTaintKey>/dedicated=<pod-uid>:NoSchedule.")
        String nodeTaintKey,

        @JsonPropertyDescription(
                "How VMs join the cluster: the k3s server URL and, optionally, where the cluster CA hash comes from.")
        JoinConfig join,

        @JsonPropertyDescription("Namespace of the VMIs and their cloud-init Secrets.")
        String vmNamespace,

        @JsonPropertyDescription("KubeVirt interface binding on the pod network: bridge (default) or passt. masquerade"
                + " is refused: its guests register 10.0.2.2, which never matches the VMI's address. A node LAN"
                + " (nodeNetwork) is always attached with bridge.")
        String networkBinding,

        @JsonPropertyDescription("Seconds a VM may take from creation to a verified node before it is torn down.")
        Integer bootTimeoutSeconds,

        @JsonPropertyDescription("Boot attempts per pod before ProvisioningFailed.")
        Integer maxBootAttempts,

        @JsonPropertyDescription("How many VMIs may be booting at once, so a burst of pods does not stampede KubeVirt.")
        Integer maxConcurrentBoots,

        @JsonPropertyDescription("The network VM nodes join the cluster on. Unset: the pod network, which carries"
                + " their traffic only on a single-node host cluster.")
        NodeNetwork nodeNetwork) {

    public static MaroonedPodsConfigSpec empty() {
        return new MaroonedPodsConfigSpec(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The same spec with this node network. */
    public MaroonedPodsConfigSpec withNodeNetwork(NodeNetwork network) {
        return new MaroonedPodsConfigSpec(
                nodeImage,
                enableKernelBoot,
                kernelBootConfig,
                baseVMResources,
                resourceOverhead,
                warmPoolSize,
                nodeTaintKey,
                join,
                vmNamespace,
                networkBinding,
                bootTimeoutSeconds,
                maxBootAttempts,
                maxConcurrentBoots,
                network);
    }

    public record NodeNetwork(
            @JsonPropertyDescription("The Multus NetworkAttachmentDefinition of the node LAN, as namespace/name (a name"
                    + " alone: in vmNamespace). Each VM's only NIC is bridged onto it; its k3s agent registers that"
                    + " NIC's address and runs flannel over it. The join server URL must then be reachable from the"
                    + " LAN.")
            String networkAttachment) {}

    public record KernelBootConfig(
            @JsonPropertyDescription("Path of the kernel inside the node image, e.g. /boot/vmlinuz.")
            String kernelPath,

            @JsonPropertyDescription("Path of the initramfs inside the node image, e.g. /boot/initramfs.img.")
            String initrdPath,

            @JsonPropertyDescription("Kernel command line; must include the deployment's ostree= argument.")
            String kernelArgs) {}

    public record BaseVmResources(
            @JsonPropertyDescription("Whole CPUs.") Integer cpu,
            @JsonPropertyDescription("Memory in MiB.") Integer memoryMi) {}

    public record ResourceOverhead(
            @JsonPropertyDescription("CPU quantity, e.g. 500m.")
            String cpu,

            @JsonPropertyDescription("Memory quantity, e.g. 512Mi.")
            String memory) {}

    public record JoinConfig(
            @JsonPropertyDescription("https URL of the k3s server (supervisor) the agents join.")
            String serverURL,

            @JsonPropertyDescription(
                    "Optional. A Secret whose value begins with K10<ca-hash>:: (the start of any k3s token):"
                            + " only that CA hash is read, to pin the cluster CA the VMs trust; a server token is refused."
                            + " Unset: the CA the provisioner trusts for the API server. Each VM joins with a bootstrap token"
                            + " of its own; no cluster token enters a VM.")
            SecretKeyRef tokenSecretRef) {}

    public record SecretKeyRef(
            @JsonPropertyDescription("Namespace of the Secret; defaults to the provisioner's namespace.")
            String namespace,

            @JsonPropertyDescription("Name of the Secret.") String name,

            @JsonPropertyDescription("Key in the Secret's data; defaults to token.")
            String key) {}
}
