package io.maroonedpods.provisioner;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.kubevirt.VmiPhase;
import io.maroonedpods.kubevirt.VmiStatus;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small stand-in for virt-controller/virt-handler: every new VMI goes to Running with one pod-network address
 * (10.42.0.N), or straight to Failed while {@link #failing} is set.
 */
final class FakeKubeVirt implements AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final AtomicInteger nextIp = new AtomicInteger(10);
    private final SharedIndexInformer<VirtualMachineInstance> informer;
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
            public void onUpdate(VirtualMachineInstance old, VirtualMachineInstance vmi) {
            }

            @Override
            public void onDelete(VirtualMachineInstance vmi, boolean unknown) {
            }
        });
    }

    private void boot(VirtualMachineInstance vmi) {
        if (vmi.getStatus() != null && vmi.getStatus().phase != null) {
            return;
        }
        VmiStatus status = new VmiStatus();
        status.nodeName = "worker-1";
        if (failing) {
            status.phase = VmiPhase.FAILED;
            status.reason = "PodFailed";
        } else {
            status.phase = VmiPhase.RUNNING;
            VmiStatus.InterfaceStatus iface = new VmiStatus.InterfaceStatus();
            iface.name = "default";
            iface.ipAddress = "10.42.0." + nextIp.getAndIncrement();
            iface.ipAddresses = List.of(iface.ipAddress);
            status.interfaces = List.of(iface);
        }
        try {
            KubeVirt.vmis(client, namespace).withName(vmi.getMetadata().getName()).editStatus(v -> {
                v.setStatus(status);
                return v;
            });
        } catch (RuntimeException e) {
            // deleted meanwhile
        }
    }

    @Override
    public void close() {
        informer.close();
    }
}
