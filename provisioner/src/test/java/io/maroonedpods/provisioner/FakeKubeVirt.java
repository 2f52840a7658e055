package io.maroonedpods.provisioner;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.NodeLan;
import io.maroonedpods.kubevirt.Domain;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.kubevirt.VmiPhase;
import io.maroonedpods.kubevirt.VmiStatus;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small stand-in for virt-controller/virt-handler: every new VMI goes to Running with one pod-network address
 * (10.42.0.N) — or, on the node LAN, the address its guest agent reports for the node-lan NIC (192.168.50.N) — or
 * straight to Failed while {@link #failing} is set.
 */
final class FakeKubeVirt implements AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final AtomicInteger nextIp = new AtomicInteger(10);
    private final SharedIndexInformer<VirtualMachineInstance> informer;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-virt-launcher");
        t.setDaemon(true);
        return t;
    });
    volatile boolean failing;

    FakeKubeVirt(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        this.informer = KubeVirt.vmis(client, namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(VirtualMachineInstance vmi) {
                boot(vmi);
            }

            @Override
            public void onUpdate(VirtualMachineInstance old, VirtualMachineInstance vmi) {}

            @Override
            public void onDelete(VirtualMachineInstance vmi, boolean unknown) {
                collectGarbage(vmi);
            }
        });
    }

    /** As Kubernetes' garbage collector: the Secrets the VMI owned go with it. */
    private void collectGarbage(VirtualMachineInstance vmi) {
        client.secrets().inNamespace(namespace).list().getItems().stream()
                .filter(s -> s.getMetadata().getOwnerReferences() != null
                        && s.getMetadata().getOwnerReferences().stream()
                                .anyMatch(
                                        o -> o.getUid().equals(vmi.getMetadata().getUid())))
                .forEach(s -> client.secrets()
                        .inNamespace(namespace)
                        .withName(s.getMetadata().getName())
                        .delete());
    }

    /** As virt-launcher, which waits for its cloud-init Secret volume: the VM starts once the Secret exists. */
    private void boot(VirtualMachineInstance vmi) {
        if (vmi.getStatus() != null && vmi.getStatus().phase != null) {
            return;
        }
        String secret = Names.userdataSecretName(vmi.getMetadata().getName());
        if (!failing && client.secrets().inNamespace(namespace).withName(secret).get() == null) {
            if (KubeVirt.vmis(client, namespace)
                            .withName(vmi.getMetadata().getName())
                            .get()
                    != null) {
                timers.schedule(() -> boot(vmi), 20, TimeUnit.MILLISECONDS); // until the VMI goes
            }
            return;
        }
        VmiStatus status = new VmiStatus();
        status.nodeName = "worker-1";
        if (failing) {
            status.phase = VmiPhase.FAILED;
            status.reason = "PodFailed";
        } else {
            status.phase = VmiPhase.RUNNING;
            status.interfaces = List.of(interfaceOf(vmi, nextIp.getAndIncrement()));
        }
        try {
            KubeVirt.vmis(client, namespace)
                    .withName(vmi.getMetadata().getName())
                    .editStatus(v -> {
                        v.setStatus(status);
                        return v;
                    });
        } catch (RuntimeException e) {
            // deleted meanwhile
        }
    }

    private static VmiStatus.InterfaceStatus interfaceOf(VirtualMachineInstance vmi, int n) {
        Domain.Interface spec = vmi.getSpec().domain.devices.interfaces.get(0);
        boolean nodeLan = NodeLan.NETWORK_NAME.equals(spec.name);
        VmiStatus.InterfaceStatus iface = new VmiStatus.InterfaceStatus();
        iface.name = spec.name;
        iface.mac = spec.macAddress;
        iface.interfaceName = nodeLan ? "enp1s0" : "eth0";
        iface.infoSource = nodeLan ? "domain, guest-agent, multus-status" : "domain, guest-agent";
        iface.ipAddress = (nodeLan ? "192.168.50." : "10.42.0.") + n;
        iface.ipAddresses = List.of(iface.ipAddress);
        return iface;
    }

    @Override
    public void close() {
        informer.close();
        timers.shutdownNow();
    }
}
