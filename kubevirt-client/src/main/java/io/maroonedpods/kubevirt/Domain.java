package io.maroonedpods.kubevirt;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;

/** {@code spec.domain}: the virtual hardware. */
public class Domain extends KubeVirtObject {
    public Cpu cpu;
    public Memory memory;
    public Resources resources;
    public Firmware firmware;
    public Devices devices;

    public static class Cpu extends KubeVirtObject {
        public Integer cores;
        public Integer sockets;
        public Integer threads;
    }

    public static class Memory extends KubeVirtObject {
        /** Memory the guest sees, e.g. {@code 2048Mi}. */
        public Quantity guest;
    }

    /** Requests and limits of the virt-launcher pod's compute container. */
    public static class Resources extends KubeVirtObject {
        public Map<String, Quantity> requests;
        public Map<String, Quantity> limits;
    }

    public static class Firmware extends KubeVirtObject {
        /** SMBIOS system UUID; the guest's kubelet reports it as the node's {@code systemUUID}. */
        public String uuid;

        public KernelBoot kernelBoot;
    }

    /** Boots the kernel and initrd from a container image instead of through the disk's bootloader. */
    public static class KernelBoot extends KubeVirtObject {
        public String kernelArgs;
        public KernelBootContainer container;
    }

    public static class KernelBootContainer extends KubeVirtObject {
        public String image;
        public String imagePullPolicy;
        public LocalObjectReference imagePullSecret;
        public String kernelPath;
        public String initrdPath;
    }

    public static class Devices extends KubeVirtObject {
        public List<Disk> disks;
        public List<Interface> interfaces;
    }

    /** {@code devices.disks[]}: which volume, exposed how ({@code disk.bus}). */
    public static class Disk extends KubeVirtObject {
        public String name;
        public DiskTarget disk;
        public Integer bootOrder;

        public static Disk virtio(String name) {
            Disk disk = new Disk();
            disk.name = name;
            disk.disk = new DiskTarget();
            disk.disk.bus = "virtio";
            return disk;
        }
    }

    public static class DiskTarget extends KubeVirtObject {
        public String bus;
    }

    /**
     * {@code devices.interfaces[]}: exactly one binding is set. {@code bridge}, {@code masquerade} and the legacy
     * {@code passt} are empty objects; {@code binding} names a network binding plugin (passt on KubeVirt >= 1.1).
     */
    public static class Interface extends KubeVirtObject {
        public String name;
        public BindingMethod bridge;
        public BindingMethod masquerade;
        public BindingMethod passt;
        public PluginBinding binding;
        public String macAddress;
        public String model;
    }

    /** An empty-object binding such as {@code bridge: {}}; any options KubeVirt adds are kept. */
    public static class BindingMethod extends KubeVirtObject {}

    public static class PluginBinding extends KubeVirtObject {
        public String name;
    }
}
