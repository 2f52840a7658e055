package io.maroonedpods.testcluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.maroonedpods.testcluster.kubevirt.SimulatedKubeVirt;
import java.util.List;
import java.util.logging.Logger;

/**
 * kube-controller-manager's garbage collector for the one owner and dependent pair the components create: a VMI and
 * the Secrets that name it in their ownerReferences (the userdata Secret). When the VMI goes, so do they; a Secret
 * owned by anything else, or by nothing, stays.
 */
public final class GarbageCollector implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GarbageCollector.class.getName());

    private final KubernetesClient client;
    private final SharedIndexInformer<GenericKubernetesResource> vmis;

    public GarbageCollector(KubernetesClient client, String namespace) {
        this.client = client;
        this.vmis = client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                .inNamespace(namespace)
                .inform(
                        new ResourceEventHandler<>() {
                            @Override
                            public void onAdd(GenericKubernetesResource vmi) {}

                            @Override
                            public void onUpdate(GenericKubernetesResource oldVmi, GenericKubernetesResource vmi) {}

                            @Override
                            public void onDelete(GenericKubernetesResource vmi, boolean unknown) {
                                collectDependentsOf(vmi);
                            }
                        },
                        0);
    }

    private void collectDependentsOf(GenericKubernetesResource owner) {
        String namespace = owner.getMetadata().getNamespace();
        String uid = owner.getMetadata().getUid();
        for (Secret secret : client.secrets().inNamespace(namespace).list().getItems()) {
            if (ownedBy(secret, uid)) {
                try {
                    client.secrets().inNamespace(namespace).resource(secret).delete();
                } catch (KubernetesClientException e) {
                    LOG.warning("garbage collector: could not delete "
                            + secret.getMetadata().getName() + ": " + e.getMessage());
                }
            }
        }
    }

    static boolean ownedBy(Secret secret, String ownerUid) {
        List<io.fabric8.kubernetes.api.model.OwnerReference> owners =
                secret.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(o -> ownerUid.equals(o.getUid()));
    }

    @Override
    public void close() {
        vmis.close();
    }
}
