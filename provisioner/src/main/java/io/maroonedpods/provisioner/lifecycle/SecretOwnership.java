package io.maroonedpods.provisioner.lifecycle;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a VMI the owner of its userdata Secret, so that Kubernetes' garbage collector deletes the Secret with the VMI
 * even if the provisioner does not. Only a safety net: teardown, the sweep and the pool keeper delete Secrets
 * themselves, so a failure here is logged and ignored.
 */
public final class SecretOwnership {
    private static final Logger LOG = LoggerFactory.getLogger(SecretOwnership.class);

    private SecretOwnership() {
    }

    public static void ownBy(KubernetesClient client, Secret secret, VirtualMachineInstance vmi) {
        if (vmi == null || vmi.getMetadata().getUid() == null) {
            return;
        }
        var owner = new OwnerReferenceBuilder().withApiVersion(vmi.getApiVersion()).withKind(vmi.getKind())
                .withName(vmi.getMetadata().getName()).withUid(vmi.getMetadata().getUid()).build();
        // The Secret is ours alone: a patch of just this field, without reading it first.
        String patch = client.getKubernetesSerialization().asJson(List.of(
                Map.of("op", "add", "path", "/metadata/ownerReferences", "value", List.of(owner))));
        try {
            client.secrets().inNamespace(secret.getMetadata().getNamespace()).resource(secret).patch(PatchContext.of(PatchType.JSON), patch);
        } catch (KubernetesClientException e) {
            LOG.debug("could not make VMI {} the owner of its Secret: {}", vmi.getMetadata().getName(), e.getCode());
        }
    }
}
