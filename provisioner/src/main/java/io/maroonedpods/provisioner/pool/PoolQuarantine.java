package io.maroonedpods.provisioner.pool;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.maroonedpods.api.Names;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
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
    private static final int MARK_ATTEMPTS = 4;
    private final KubernetesClient client;
    private final String vmNamespace;
    private final Teardown teardown;

    public PoolQuarantine(KubernetesClient client, String vmNamespace, Teardown teardown) {
        this.client = client;
        this.vmNamespace = vmNamespace;
        this.teardown = teardown;
    }

    /** Marks and destroys the pool VM {@code name}; returns what was deleted (empty when it was gone already). */
    public List<String> destroy(String name) {
        mark(name);
        return teardown.vm(name);
    }

    /**
     * An update on the version just read (the provisioner may update VMIs, not patch them); a conflict (a claim, the
     * keeper) reads again and writes again, a few times: the deletion that follows matters more than the label.
     */
    private void mark(String name) {
        var vmis = KubeVirt.vmis(client, vmNamespace);
        for (int attempt = 0; attempt < MARK_ATTEMPTS; attempt++) {
            VirtualMachineInstance vmi = vmis.withName(name).get();
            if (vmi == null || PoolVm.heldStranger(vmi)) {
                return;
            }
            Map<String, String> labels = new HashMap<>(vmi.getMetadata().getLabels());
            labels.remove(Names.POOL_AVAILABLE_LABEL);
            labels.put(Names.HELD_STRANGER_LABEL, "true");
            vmi.getMetadata().setLabels(labels);
            try {
                vmis.resource(vmi).update();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return;
                }
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
    }
}
