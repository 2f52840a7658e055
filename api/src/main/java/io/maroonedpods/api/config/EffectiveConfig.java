package io.maroonedpods.api.config;

import io.fabric8.kubernetes.api.model.Quantity;
import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec.BaseVmResources;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec.JoinConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec.KernelBootConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec.ResourceOverhead;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec.SecretKeyRef;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configuration in force: a {@link MaroonedPodsConfigSpec} with every default filled in and every field checked.
 * Immutable; built only through {@link #of}, which names each invalid field. {@code tokenSecretRef} is null when
 * {@code spec.join.tokenSecretRef} is not given: the cluster CA is then pinned from the CA the provisioner itself trusts.
 */
public record EffectiveConfig(
        String nodeImage,
        boolean enableKernelBoot,
        KernelBootConfig kernelBootConfig,
        int baseCpu,
        int baseMemoryMi,
        BigDecimal overheadCpuCores,
        long overheadMemoryBytes,
        int warmPoolSize,
        String nodeTaintKey,
        String serverUrl,
        SecretKeyRef tokenSecretRef,
        String vmNamespace,
        String networkBinding,
        int bootTimeoutSeconds,
        int maxBootAttempts,
        int maxConcurrentBoots,
        String nodeNetworkAttachment) {

    /** The containerDisk {@code make build-containerdisk} builds and tags with the project version (node-image/Makefile). */
    public static final String DEFAULT_NODE_IMAGE = "quay.io/maroonedpods/marooned-node-disk:0.1.0";

    public static final KernelBootConfig DEFAULT_KERNEL_BOOT =
            new KernelBootConfig("/boot/vmlinuz", "/boot/initramfs.img", "console=ttyS0");
    public static final String DEFAULT_SERVER_URL = "https://kubernetes.default.svc:443";
    public static final String DEFAULT_SYSTEM_NAMESPACE = "maroonedpods-system";
    /** What the unset fields of a given {@code spec.join.tokenSecretRef} default to (the whole reference is optional). */
    public static final SecretKeyRef DEFAULT_TOKEN_SECRET =
            new SecretKeyRef(DEFAULT_SYSTEM_NAMESPACE, "maroonedpods-join-token", "token");
    /**
     * Bindings under which the guest's own address is the one KubeVirt reports for the VMI, so the node's InternalIP
     * can be verified. Not masquerade: its guest sits behind NAT at 10.0.2.2 and registers that address.
     */
    public static final Set<String> NETWORK_BINDINGS = Set.of("bridge", "passt");

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    /** The configuration when no MaroonedPodsConfig exists. */
    public static EffectiveConfig defaults() {
        return of(MaroonedPodsConfigSpec.empty());
    }

    /**
     * Fills defaults and validates.
     *
     * @throws InvalidConfigException listing every invalid field, e.g. {@code spec.baseVMResources.cpu: must be >= 1, got 0}
     */
    public static EffectiveConfig of(MaroonedPodsConfigSpec spec) {
        MaroonedPodsConfigSpec s = spec == null ? MaroonedPodsConfigSpec.empty() : spec;
        List<String> errors = new ArrayList<>();

        String nodeImage = nodeImage(errors, orDefault(s.nodeImage(), DEFAULT_NODE_IMAGE));
        KernelBootConfig kb = kernelBootConfig(s.kernelBootConfig());
        boolean kernelBoot = Boolean.TRUE.equals(s.enableKernelBoot());
        if (kernelBoot) {
            checkKernelBoot(errors, kb, nodeImage);
        }

        BaseVmResources base = s.baseVMResources() == null ? new BaseVmResources(null, null) : s.baseVMResources();
        int baseCpu = atLeast(errors, "spec.baseVMResources.cpu", base.cpu(), 1, 1);
        // The VM holds the OS, containerd and the k3s agent (about 275 MB alone, k3s's resource profiling) besides the
        // pod.
        int baseMemoryMi = atLeast(errors, "spec.baseVMResources.memoryMi", base.memoryMi(), 1024, 512);

        ResourceOverhead overhead =
                s.resourceOverhead() == null ? new ResourceOverhead(null, null) : s.resourceOverhead();
        BigDecimal overheadCpu = quantity(errors, "spec.resourceOverhead.cpu", orDefault(overhead.cpu(), "500m"));
        BigDecimal overheadMemory =
                quantity(errors, "spec.resourceOverhead.memory", orDefault(overhead.memory(), "512Mi"));

        int warmPoolSize = atLeast(errors, "spec.warmPoolSize", s.warmPoolSize(), 0, 0);
        String taintKey = taintKey(errors, orDefault(s.nodeTaintKey(), Names.DEFAULT_TAINT_KEY));

        JoinConfig join = s.join() == null ? new JoinConfig(null, null) : s.join();
        String serverUrl = serverUrl(errors, orDefault(join.serverURL(), DEFAULT_SERVER_URL));
        SecretKeyRef ref = tokenSecretRef(errors, join.tokenSecretRef());

        String vmNamespace = vmNamespace(errors, orDefault(s.vmNamespace(), Names.DEFAULT_VMI_NAMESPACE));
        String binding = networkBinding(errors, orDefault(s.networkBinding(), "bridge"));
        int bootTimeout = atLeast(errors, "spec.bootTimeoutSeconds", s.bootTimeoutSeconds(), 300, 10);
        int maxAttempts = atLeast(errors, "spec.maxBootAttempts", s.maxBootAttempts(), 3, 1);
        int maxConcurrent = atLeast(errors, "spec.maxConcurrentBoots", s.maxConcurrentBoots(), 20, 1);
        String attachment = NodeNetworks.attachment(errors, s, vmNamespace, binding, serverUrl);

        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
        return new EffectiveConfig(
                nodeImage,
                kernelBoot,
                kb,
                baseCpu,
                baseMemoryMi,
                overheadCpu,
                overheadMemory.longValueExact(),
                warmPoolSize,
                taintKey,
                serverUrl,
                ref,
                vmNamespace,
                binding,
                bootTimeout,
                maxAttempts,
                maxConcurrent,
                attachment);
    }

    /**
     * True when the VMs sit on the node LAN (spec.nodeNetwork.networkAttachment, as {@code namespace/name} in
     * {@link #nodeNetworkAttachment()}); false when they sit on the pod network.
     */
    public boolean onNodeLan() {
        return nodeNetworkAttachment != null;
    }

    /** The taint key nodes register with and pods tolerate: {@code <nodeTaintKey>/dedicated}. */
    public String dedicatedTaintKey() {
        return Names.dedicatedTaintKey(nodeTaintKey);
    }

    private static String nodeImage(List<String> errors, String nodeImage) {
        if (nodeImage.isBlank() || nodeImage.chars().anyMatch(Character::isWhitespace)) {
            errors.add("spec.nodeImage: must be an image reference without spaces, got '" + nodeImage + "'");
        }
        return nodeImage;
    }

    private static String taintKey(List<String> errors, String taintKey) {
        if (!DNS_SUBDOMAIN.matcher(taintKey).matches()) {
            errors.add("spec.nodeTaintKey: must be a DNS subdomain such as maroonedpods.io, got '" + taintKey + "'");
        }
        return taintKey;
    }

    private static String serverUrl(List<String> errors, String serverUrl) {
        if (!JoinInfo.isHttpsUrl(serverUrl)) {
            errors.add("spec.join.serverURL: must be an https:// URL with a host, got '" + serverUrl + "'");
        }
        return serverUrl;
    }

    private static String vmNamespace(List<String> errors, String vmNamespace) {
        if (!DNS_LABEL.matcher(vmNamespace).matches()) {
            errors.add("spec.vmNamespace: must be a namespace name, got '" + vmNamespace + "'");
        }
        return vmNamespace;
    }

    private static KernelBootConfig kernelBootConfig(KernelBootConfig given) {
        return given == null
                ? DEFAULT_KERNEL_BOOT
                : new KernelBootConfig(
                        orDefault(given.kernelPath(), DEFAULT_KERNEL_BOOT.kernelPath()),
                        orDefault(given.initrdPath(), DEFAULT_KERNEL_BOOT.initrdPath()),
                        orDefault(given.kernelArgs(), DEFAULT_KERNEL_BOOT.kernelArgs()));
    }

    /** What booting the node image's kernel directly needs, checked only when it is enabled. */
    private static void checkKernelBoot(List<String> errors, KernelBootConfig kb, String nodeImage) {
        if (!kb.kernelPath().startsWith("/") || !kb.initrdPath().startsWith("/")) {
            errors.add("spec.kernelBootConfig: kernelPath and initrdPath must be absolute paths in the node image");
        }
        // A bootc disk boots only with its deployment's ostree= argument, which changes with every disk build:
        // it is published at /boot/kernel-args in the disk image (see node-image/README.md).
        if (!kb.kernelArgs().contains("ostree=") || !kb.kernelArgs().contains("root=")) {
            errors.add("spec.kernelBootConfig.kernelArgs: must include the node image's root= and ostree= arguments"
                    + " (published in the image at /boot/kernel-args), got '" + kb.kernelArgs() + "'");
        }
        // The kernel arguments match one disk build, and nodes pull with IfNotPresent: a moving tag would boot whatever
        // build a host cached last with arguments written for another.
        if (!ImageReference.parse(nodeImage).isFixed()) {
            errors.add("spec.nodeImage: must name one build (a version tag or a digest, not latest or no tag) when"
                    + " enableKernelBoot is true, since kernelArgs belong to one disk build, got '" + nodeImage + "'");
        }
    }

    /** Optional: no VM ever gets a cluster token; when set, the Secret only pins the cluster CA (its K10<hash>::). */
    private static SecretKeyRef tokenSecretRef(List<String> errors, SecretKeyRef given) {
        if (given == null) {
            return null;
        }
        SecretKeyRef ref = new SecretKeyRef(
                orDefault(given.namespace(), DEFAULT_TOKEN_SECRET.namespace()),
                orDefault(given.name(), DEFAULT_TOKEN_SECRET.name()),
                orDefault(given.key(), DEFAULT_TOKEN_SECRET.key()));
        if (!DNS_SUBDOMAIN.matcher(ref.name()).matches()) {
            errors.add("spec.join.tokenSecretRef.name: must be a Secret name, got '" + ref.name() + "'");
        }
        if (!DNS_LABEL.matcher(ref.namespace()).matches()) {
            errors.add("spec.join.tokenSecretRef.namespace: must be a namespace name, got '" + ref.namespace() + "'");
        }
        return ref;
    }

    private static String networkBinding(List<String> errors, String binding) {
        if (binding.equals("masquerade")) {
            errors.add("spec.networkBinding: masquerade cannot work: every guest is 10.0.2.2 behind NAT and registers"
                    + " that as its node address while the VMI reports the pod IP, so no node is ever verified; use"
                    + " bridge or passt");
        } else if (!NETWORK_BINDINGS.contains(binding)) {
            errors.add("spec.networkBinding: must be one of bridge, passt, got '" + binding + "'");
        }
        return binding;
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static int atLeast(List<String> errors, String field, Integer value, int fallback, int minimum) {
        int v = Objects.requireNonNullElse(value, fallback);
        if (v < minimum) {
            errors.add(field + ": must be >= " + minimum + ", got " + v);
        }
        return v;
    }

    private static BigDecimal quantity(List<String> errors, String field, String text) {
        try {
            BigDecimal amount = Quantity.getAmountInBytes(new Quantity(text));
            if (amount.signum() < 0) {
                errors.add(field + ": must not be negative, got '" + text + "'");
                return BigDecimal.ZERO;
            }
            return amount;
        } catch (RuntimeException e) {
            errors.add(field + ": must be a Kubernetes quantity such as 500m or 512Mi, got '" + text + "'");
            return BigDecimal.ZERO;
        }
    }
}
