package io.maroonedpods.provisioner.vm;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.NodeLan;
import io.maroonedpods.api.Userdata;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.kubevirt.Domain;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.kubevirt.VmiSpec;
import io.maroonedpods.provisioner.join.JoinPin;
import io.maroonedpods.provisioner.join.VmCredentials;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects the provisioner creates for a pod, as pure functions of the pod and the configuration: the VMI and its
 * cloud-init Secret. Names are deterministic ({@code maroon-<uid>}), so create-if-absent never makes a second one.
 */
public final class DesiredVm {
    static final String ROOT_DISK = "rootdisk";
    static final String CLOUD_INIT_DISK = "cloudinit";
    static final String POD_NETWORK = "default";

    private DesiredVm() {}

    /**
     * Labels on everything we create for a pod, so the sweep and the extender can find the pod again. A pod name can
     * be longer than a label value allows, so the full name is also kept in an annotation of the same key.
     */
    public static Map<String, String> labels(Pod pod) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Names.MANAGED_BY_LABEL, Names.MANAGED_BY_VALUE);
        labels.put(Names.POD_UID_LABEL, pod.getMetadata().getUid());
        labels.put(Names.POD_NAMESPACE_LABEL, pod.getMetadata().getNamespace());
        labels.put(Names.POD_NAME_LABEL, labelValue(pod.getMetadata().getName()));
        return labels;
    }

    /**
     * The node VM. {@code firmwareUuid} becomes the guest's SMBIOS UUID, which its kubelet reports as the node's
     * systemUUID: one more thing a forged node has to guess. Random per VMI, so it is passed in. The boot attempt is
     * recorded on the VMI too: if recording it on the pod fails, the count is not lost.
     */
    public static VirtualMachineInstance vmi(
            Pod pod, EffectiveConfig config, String firmwareUuid, Instant bootStartedAt, int attempt) {
        return vmi(
                Names.nodeName(pod.getMetadata().getUid()),
                labels(pod),
                Map.of(
                        Names.BOOT_STARTED_ANNOTATION,
                        bootStartedAt.toString(),
                        Names.BOOT_ATTEMPTS_ANNOTATION,
                        Integer.toString(attempt),
                        Names.POD_NAME_ANNOTATION,
                        pod.getMetadata().getName()),
                Sizing.of(pod.getSpec(), config),
                config,
                firmwareUuid);
    }

    /** A node VM of the given name and size: the part shared by a pod's own VM and a warm-pool VM. */
    public static VirtualMachineInstance vmi(
            String name,
            Map<String, String> labels,
            Map<String, String> annotations,
            VmSize size,
            EffectiveConfig config,
            String firmwareUuid) {
        VirtualMachineInstance vmi = new VirtualMachineInstance();
        vmi.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(config.vmNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .build());

        Domain domain = new Domain();
        domain.cpu = new Domain.Cpu();
        domain.cpu.cores = size.cpuCores();
        domain.cpu.sockets = 1;
        domain.cpu.threads = 1;
        domain.memory = new Domain.Memory();
        domain.memory.guest = new Quantity(size.memoryQuantity());
        domain.resources = new Domain.Resources();
        domain.resources.requests = Map.of(
                "cpu", new Quantity(Integer.toString(size.cpuCores())), "memory", new Quantity(size.memoryQuantity()));
        domain.firmware = new Domain.Firmware();
        domain.firmware.uuid = firmwareUuid;
        if (config.enableKernelBoot()) {
            domain.firmware.kernelBoot = kernelBoot(config);
        }
        domain.devices = new Domain.Devices();
        domain.devices.disks = List.of(Domain.Disk.virtio(ROOT_DISK), Domain.Disk.virtio(CLOUD_INIT_DISK));
        domain.devices.interfaces =
                List.of(config.onNodeLan() ? nodeLanInterface(name) : podInterface(config.networkBinding()));

        VmiSpec spec = new VmiSpec();
        spec.domain = domain;
        spec.hostname = name;
        spec.networks = List.of(
                config.onNodeLan()
                        ? VmiSpec.Network.multus(NodeLan.NETWORK_NAME, config.nodeNetworkAttachment())
                        : VmiSpec.Network.pod(POD_NETWORK));
        spec.volumes = List.of(rootDisk(config), cloudInit(name));
        spec.terminationGracePeriodSeconds = 30L;
        // A dedicated node cannot live-migrate (containerDisk, node identity): on host drain it just stops.
        spec.evictionStrategy = "None";
        vmi.setSpec(spec);
        return vmi;
    }

    /**
     * The cloud-init Secret: user data that writes the join info inside the guest, with the VM's own credentials (its
     * bootstrap token, pinned to the cluster CA, and its node password). The token's id is a label, so that teardown
     * finds the token to delete.
     */
    public static Secret userdataSecret(Pod pod, EffectiveConfig config, VmCredentials credentials, JoinPin pin) {
        String uid = pod.getMetadata().getUid();
        return userdataSecret(
                Names.nodeName(uid),
                uid,
                labels(pod),
                Map.of(Names.POD_NAME_ANNOTATION, pod.getMetadata().getName()),
                config,
                credentials,
                pin);
    }

    /** The cloud-init Secret of VMI {@code vmiName}; an empty {@code podUid} makes it a warm-pool node's. */
    public static Secret userdataSecret(
            String vmiName,
            String podUid,
            Map<String, String> labels,
            Map<String, String> annotations,
            EffectiveConfig config,
            VmCredentials credentials,
            JoinPin pin) {
        JoinInfo join = new JoinInfo(
                config.serverUrl(),
                credentials.joinToken(pin),
                podUid,
                config.nodeTaintKey(),
                vmiName,
                credentials.nodePassword());
        if (config.onNodeLan()) {
            join = join.withNodeMac(NodeLan.macAddress(vmiName));
        }
        String userdata = Userdata.render(join);
        Map<String, String> labelled = new LinkedHashMap<>(labels);
        labelled.put(Names.BOOTSTRAP_TOKEN_ID_LABEL, credentials.token().id());
        ObjectMeta meta = new ObjectMetaBuilder()
                .withName(Names.userdataSecretName(vmiName))
                .withNamespace(config.vmNamespace())
                .withLabels(labelled)
                .withAnnotations(annotations)
                .build();
        return new SecretBuilder()
                .withMetadata(meta)
                .withType("Opaque")
                .withData(Map.of(
                        Names.USERDATA_KEY,
                        Base64.getEncoder().encodeToString(userdata.getBytes(StandardCharsets.UTF_8))))
                .build();
    }

    /** The Secret owned by the VMI: Kubernetes' garbage collector deletes it with the VMI. */
    public static Secret ownedBy(Secret secret, VirtualMachineInstance vmi) {
        var owner = new OwnerReferenceBuilder()
                .withApiVersion(vmi.getApiVersion())
                .withKind(vmi.getKind())
                .withName(vmi.getMetadata().getName())
                .withUid(vmi.getMetadata().getUid())
                .build();
        return new SecretBuilder(secret)
                .editMetadata()
                .withOwnerReferences(List.of(owner))
                .endMetadata()
                .build();
    }

    /** The VMI, annotated with the id of its bootstrap token: verification deletes the token once the node joined. */
    public static VirtualMachineInstance withBootstrapTokenId(VirtualMachineInstance vmi, String tokenId) {
        Map<String, String> annotations = new LinkedHashMap<>(
                vmi.getMetadata().getAnnotations() == null
                        ? Map.of()
                        : vmi.getMetadata().getAnnotations());
        annotations.put(Names.BOOTSTRAP_TOKEN_ID_LABEL, tokenId);
        vmi.getMetadata().setAnnotations(annotations);
        return vmi;
    }

    private static Domain.KernelBoot kernelBoot(EffectiveConfig config) {
        Domain.KernelBoot kernelBoot = new Domain.KernelBoot();
        kernelBoot.kernelArgs = config.kernelBootConfig().kernelArgs();
        kernelBoot.container = new Domain.KernelBootContainer();
        kernelBoot.container.image = config.nodeImage();
        kernelBoot.container.imagePullPolicy = "IfNotPresent";
        kernelBoot.container.kernelPath = config.kernelBootConfig().kernelPath();
        kernelBoot.container.initrdPath = config.kernelBootConfig().initrdPath();
        return kernelBoot;
    }

    /** bridge (default) and masquerade are core bindings; passt is the network binding plugin of KubeVirt >= 1.1. */
    private static Domain.Interface podInterface(String binding) {
        Domain.Interface iface = new Domain.Interface();
        iface.name = POD_NETWORK;
        switch (binding) {
            case "masquerade" -> iface.masquerade = new Domain.BindingMethod();
            case "passt" -> {
                iface.binding = new Domain.PluginBinding();
                iface.binding.name = "passt";
            }
            default -> iface.bridge = new Domain.BindingMethod();
        }
        return iface;
    }

    /**
     * The VM's only NIC on the node LAN: bridge binding (the NIC is a port of the LAN, its address the LAN's), with a
     * MAC derived from the VM's name that the join info names, so the boot script finds the NIC whatever the guest
     * calls it. No pod network interface: the guest would get a second default route and a pod IP that other nodes
     * route into their own VXLAN tunnel.
     */
    private static Domain.Interface nodeLanInterface(String vmiName) {
        Domain.Interface iface = new Domain.Interface();
        iface.name = NodeLan.NETWORK_NAME;
        iface.bridge = new Domain.BindingMethod();
        iface.macAddress = NodeLan.macAddress(vmiName);
        return iface;
    }

    private static VmiSpec.Volume rootDisk(EffectiveConfig config) {
        VmiSpec.Volume volume = new VmiSpec.Volume();
        volume.name = ROOT_DISK;
        volume.containerDisk = new VmiSpec.ContainerDisk();
        volume.containerDisk.image = config.nodeImage();
        volume.containerDisk.imagePullPolicy = "IfNotPresent";
        return volume;
    }

    private static VmiSpec.Volume cloudInit(String vmiName) {
        VmiSpec.Volume volume = new VmiSpec.Volume();
        volume.name = CLOUD_INIT_DISK;
        volume.cloudInitNoCloud = new VmiSpec.CloudInitNoCloud();
        volume.cloudInitNoCloud.secretRef = new LocalObjectReference(Names.userdataSecretName(vmiName));
        return volume;
    }

    /** Label values are at most 63 characters; pod names may be longer (the UID label is what identifies). */
    public static String podName(io.fabric8.kubernetes.api.model.HasMetadata managed) {
        Map<String, String> annotations = managed.getMetadata().getAnnotations();
        String full = annotations == null ? null : annotations.get(Names.POD_NAME_ANNOTATION);
        return full != null ? full : managed.getMetadata().getLabels().get(Names.POD_NAME_LABEL);
    }

    private static String labelValue(String text) {
        if (text.length() <= 63) {
            return text;
        }
        String cut = text.substring(0, 63);
        return cut.replaceAll("[^A-Za-z0-9]+$", "");
    }
}
