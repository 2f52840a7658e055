package io.maroonedpods.simulator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.MaroonedPodsConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec;
import io.maroonedpods.testcluster.kubevirt.SimulatedKubeVirt;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code --warm-pool N} as the simulated cluster's administrator would do it: write {@code warmPoolSize} into
 * MaroonedPodsConfig {@code default}, then watch what the real provisioner does with it.
 */
public final class WarmPool {
    private final KubernetesClient client;
    private final String vmNamespace;

    public WarmPool(KubernetesClient client, String vmNamespace) {
        this.client = client;
        this.vmNamespace = vmNamespace;
    }

    /** Sets spec.warmPoolSize of MaroonedPodsConfig default, keeping its other fields. */
    public void size(int size) {
        MaroonedPodsConfig current = client.resources(MaroonedPodsConfig.class)
                .withName(Names.CONFIG_NAME)
                .get();
        MaroonedPodsConfigSpec s =
                current == null || current.getSpec() == null ? MaroonedPodsConfigSpec.empty() : current.getSpec();
        MaroonedPodsConfig desired = new MaroonedPodsConfig();
        desired.getMetadata().setName(Names.CONFIG_NAME);
        desired.setSpec(new MaroonedPodsConfigSpec(
                s.nodeImage(),
                s.enableKernelBoot(),
                s.kernelBootConfig(),
                s.baseVMResources(),
                s.resourceOverhead(),
                size,
                s.nodeTaintKey(),
                s.join(),
                s.vmNamespace(),
                s.networkBinding(),
                s.bootTimeoutSeconds(),
                s.maxBootAttempts(),
                s.maxConcurrentBoots(),
                s.nodeNetwork()));
        client.resource(desired).createOr(existing -> existing.update());
    }

    /** Pool VMIs the provisioner verified and marked available (unclaimed). */
    public int available() {
        return client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                .inNamespace(vmNamespace)
                .withLabel(Names.POOL_AVAILABLE_LABEL, "true")
                .list()
                .getItems()
                .size();
    }

    /** Claimed pool nodes and the pod UID on their restricted label: where isolation allows that pod. */
    public Map<String, String> claimedNodeOwners() {
        Map<String, String> owners = new HashMap<>();
        client.nodes().list().getItems().stream()
                .filter(n -> n.getMetadata().getName().startsWith(Names.POOL_NODE_PREFIX))
                .filter(n -> n.getMetadata().getLabels() != null
                        && n.getMetadata().getLabels().get(Names.VERIFIED_POD_UID_LABEL) != null)
                .forEach(n -> owners.put(
                        n.getMetadata().getName(), n.getMetadata().getLabels().get(Names.VERIFIED_POD_UID_LABEL)));
        return owners;
    }
}
