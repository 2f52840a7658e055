package io.maroonedpods.testcluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.maroonedpods.testcluster.kubevirt.SimulatedKubeVirt;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * kube-controller-manager's garbage collector for the one owner and dependent pair the components create: a VMI and
 * the Secrets that name it in their ownerReferences (the userdata Secret). A Secret whose VMI owners are all gone is
 * deleted, whether its owner went first or the Secret came after it; a Secret owned by anything else, or by nothing,
 * stays. As the real collector does, an owner missing from the cache is looked up, and the Secret read again, before
 * it is deleted: the VMI's watch may just be behind the Secret's, and the cached Secret behind its new owner.
 */
public final class GarbageCollector implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GarbageCollector.class.getName());
    private static final String BY_VMI_OWNER = "vmiOwnerUid";

    private final KubernetesClient client;
    private final String namespace;
    private final SharedIndexInformer<Secret> secrets;
    private final SharedIndexInformer<GenericKubernetesResource> vmis;

    public GarbageCollector(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        this.secrets = client.secrets().inNamespace(namespace).runnableInformer(0);
        secrets.addIndexers(Map.of(
                BY_VMI_OWNER,
                secret -> vmiOwners(secret).stream().map(OwnerReference::getUid).toList()));
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
                                secrets.getIndexer()
                                        .byIndex(BY_VMI_OWNER, vmi.getMetadata().getUid())
                                        .forEach(GarbageCollector.this::collectIfOrphaned);
                            }
                        },
                        0);
        secrets.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret secret) {
                collectIfOrphaned(secret);
            }

            @Override
            public void onUpdate(Secret oldSecret, Secret secret) {
                collectIfOrphaned(secret);
            }

            @Override
            public void onDelete(Secret secret, boolean unknown) {}
        });
        secrets.run();
    }

    /**
     * Deletes the Secret if every owner it names is a VMI that is gone. The cached copy only says whether to look (an
     * owner the cache holds is there); as the real collector does, the Secret is then read again and judged on what it
     * says now (its owner may have been replaced since, by a VMI recreated under the same name), each owner looked up
     * live, and the Secret deleted only as read.
     */
    void collectIfOrphaned(Secret cached) {
        if (!onlyVmiOwners(cached) || vmiOwners(cached).stream().anyMatch(this::cached)) {
            return;
        }
        try {
            Secret latest = client.secrets()
                    .inNamespace(namespace)
                    .withName(cached.getMetadata().getName())
                    .get();
            if (latest == null
                    || !onlyVmiOwners(latest)
                    || vmiOwners(latest).stream().anyMatch(this::exists)) {
                return;
            }
            client.secrets()
                    .inNamespace(namespace)
                    .resource(latest)
                    .lockResourceVersion(latest.getMetadata().getResourceVersion())
                    .delete();
        } catch (KubernetesClientException e) {
            // 409: changed since it was read, and the change is judged again when it arrives.
            LOG.warning("garbage collector: could not collect "
                    + cached.getMetadata().getName() + ": " + e.getMessage());
        }
    }

    /** Owned, and by VMIs alone: a Secret with any other owner is not this collector's to judge. */
    private static boolean onlyVmiOwners(Secret secret) {
        List<OwnerReference> vmiOwners = vmiOwners(secret);
        return !vmiOwners.isEmpty()
                && vmiOwners.size() == secret.getMetadata().getOwnerReferences().size();
    }

    /** The owner as the cache has it. */
    private boolean cached(OwnerReference owner) {
        GenericKubernetesResource vmi = vmis.getStore().getByKey(namespace + "/" + owner.getName());
        return vmi != null && owner.getUid().equals(vmi.getMetadata().getUid());
    }

    /** The owner as the cache has it, else as the API server has it now. */
    private boolean exists(OwnerReference owner) {
        if (cached(owner)) {
            return true;
        }
        GenericKubernetesResource live = client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                .inNamespace(namespace)
                .withName(owner.getName())
                .get();
        return live != null && owner.getUid().equals(live.getMetadata().getUid());
    }

    static List<OwnerReference> vmiOwners(Secret secret) {
        List<OwnerReference> owners = secret.getMetadata().getOwnerReferences();
        return owners == null
                ? List.of()
                : owners.stream()
                        .filter(o -> "VirtualMachineInstance".equals(o.getKind()) && o.getUid() != null)
                        .toList();
    }

    @Override
    public void close() {
        vmis.close();
        secrets.close();
    }
}
