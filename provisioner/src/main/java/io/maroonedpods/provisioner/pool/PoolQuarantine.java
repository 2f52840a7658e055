package io.maroonedpods.provisioner.pool;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.maroonedpods.api.Names;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.apply.Apply;
import io.maroonedpods.provisioner.lifecycle.Teardown;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A warm-pool VM whose node held a stranger before any pod's claim on it was complete: whatever the stranger left in
 * the guest (files, processes, a kernel it escaped into) must never become a tenant's VM. It is taken out of the pool
 * for good — labelled {@link Names#HELD_STRANGER_LABEL} and no longer available, written again over any claim or
 * keeper write that conflicts — and destroyed. If the destruction fails, the label alone keeps it
 * from being claimed ({@link PoolVm#available}), and the pool keeper deletes it ({@link PoolMember}); the pool refills
 * under a new name.
 */
public final class PoolQuarantine {
    private final KubernetesClient client;
    private final String vmNamespace;
    private final Teardown teardown;
    private final Apply apply;

    public PoolQuarantine(KubernetesClient client, String vmNamespace, Teardown teardown) {
        this.client = client;
        this.vmNamespace = vmNamespace;
        this.teardown = teardown;
        this.apply = new Apply(client);
    }

    /** Marks and destroys the pool VM {@code name}; returns what was deleted (empty when it was gone already). */
    public List<String> destroy(String name) {
        mark(name);
        return teardown.vm(name);
    }

    /**
     * Through {@link Apply} on the VMI read now: a claim or keeper write in between (its guard fails, 422) reads again
     * and writes again, a few times; then the deletion goes ahead anyway: it matters more than the label.
     */
    private void mark(String name) {
        try {
            apply.edit(KubeVirt.vmis(client, vmNamespace).withName(name), null, PoolQuarantine::quarantined);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 422) {
                throw e;
            }
        }
    }

    /** Held a stranger and no longer available: never claimed (claimed or not meanwhile, it is destroyed). */
    static VirtualMachineInstance quarantined(VirtualMachineInstance vmi) {
        if (PoolVm.heldStranger(vmi)) {
            return vmi;
        }
        Map<String, String> labels = new HashMap<>(vmi.getMetadata().getLabels());
        labels.remove(Names.POOL_AVAILABLE_LABEL);
        labels.put(Names.HELD_STRANGER_LABEL, "true");
        vmi.getMetadata().setLabels(labels);
        return vmi;
    }
}
