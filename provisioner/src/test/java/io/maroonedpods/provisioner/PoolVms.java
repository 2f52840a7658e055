package io.maroonedpods.provisioner;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import java.util.List;

/** The warm pool's VMs as a flow test sees them, and their guests booted as they would boot. */
final class PoolVms {
    private final KubernetesClient client;
    private final String namespace;
    private final Guests guests;

    PoolVms(KubernetesClient client, String namespace, Guests guests) {
        this.client = client;
        this.namespace = namespace;
        this.guests = guests;
    }

    /** Boots the guest of every running pool VM and makes it Ready until {@code n} pool VMs are available. */
    List<String> awaitAvailable(int n) {
        await().atMost(FlowCluster.PATIENCE).until(() -> {
            all().stream()
                    .filter(v -> "Running".equals(v.phase()))
                    .filter(v ->
                            client.nodes().withName(v.getMetadata().getName()).get() == null)
                    .forEach(v -> {
                        guests.registerVm(v.getMetadata().getName());
                        guests.markVmReady(v.getMetadata().getName());
                    });
            return available().size() >= n;
        });
        return available();
    }

    /** The names of the pool VMs labelled available, sorted. */
    List<String> available() {
        return all().stream()
                .filter(v -> "true".equals(FlowCluster.labelsOf(v).get(Names.POOL_AVAILABLE_LABEL)))
                .map(v -> v.getMetadata().getName())
                .sorted()
                .toList();
    }

    List<VirtualMachineInstance> all() {
        return KubeVirt.vmis(client, namespace).list().getItems().stream()
                .filter(v -> v.getMetadata().getName().startsWith(Names.POOL_NODE_PREFIX))
                .toList();
    }

    /** The pool VM claimed for the pod with this uid. */
    String claimedBy(String podUid) {
        return all().stream()
                .filter(v -> podUid.equals(FlowCluster.labelsOf(v).get(Names.POD_UID_LABEL)))
                .map(v -> v.getMetadata().getName())
                .findFirst()
                .orElseThrow();
    }
}
