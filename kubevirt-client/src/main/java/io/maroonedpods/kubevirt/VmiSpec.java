package io.maroonedpods.kubevirt;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * {@code spec} of a VirtualMachineInstance. Mutable public fields mirror KubeVirt's Go structs one to one (same JSON
 * names), so a read–modify–write reads naturally: {@code vmi.getSpec().domain.cpu.cores = 2}.
 */
public class VmiSpec extends KubeVirtObject {
    public Domain domain;
    public List<Network> networks;
    public List<Volume> volumes;
    public String hostname;
    public Long terminationGracePeriodSeconds;
    /** None, LiveMigrate, LiveMigrateIfPossible or External. */
    public String evictionStrategy;

    public Map<String, String> nodeSelector;
    public Affinity affinity;
    public List<Toleration> tolerations;

    /** {@code spec.networks[]}: the pod network or a Multus network; any other kind is kept as unknown fields. */
    public static class Network extends KubeVirtObject {
        public String name;
        public PodNetwork pod;
        public MultusNetwork multus;

        public static Network pod(String name) {
            Network network = new Network();
            network.name = name;
            network.pod = new PodNetwork();
            return network;
        }

        /** A secondary network from the Multus NetworkAttachmentDefinition {@code networkName} ({@code ns/name}). */
        public static Network multus(String name, String networkName) {
            Network network = new Network();
            network.name = name;
            network.multus = new MultusNetwork();
            network.multus.networkName = networkName;
            return network;
        }
    }

    /** {@code networks[].multus}: a NetworkAttachmentDefinition, {@code <name>} or {@code <namespace>/<name>}. */
    public static class MultusNetwork extends KubeVirtObject {
        public String networkName;
    }

    /** {@code networks[].pod}: the VM is attached to its virt-launcher pod's network. */
    public static class PodNetwork extends KubeVirtObject {
        public String vmNetworkCIDR;
    }

    /** {@code spec.volumes[]}: we use containerDisk and cloudInitNoCloud; other kinds are kept as unknown fields. */
    public static class Volume extends KubeVirtObject {
        public String name;
        public ContainerDisk containerDisk;
        public CloudInitNoCloud cloudInitNoCloud;
    }

    public static class ContainerDisk extends KubeVirtObject {
        public String image;
        public String imagePullPolicy;
        public String path;
    }

    /** NoCloud data source; with {@code secretRef} the user data is read from the Secret's {@code userdata} key. */
    public static class CloudInitNoCloud extends KubeVirtObject {
        public LocalObjectReference secretRef;
        public String userData;
        public String userDataBase64;
        public LocalObjectReference networkDataSecretRef;
    }
}
