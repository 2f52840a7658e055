package io.maroonedpods.simulator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.simulator.kubevirt.SimulatedKubeVirt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What is in a cluster (the simulated one, or a real one in the e2e suite), for the end-of-run checks: leftovers after
 * teardown, places the token must not be.
 */
public final class ClusterInventory {
    private final KubernetesClient client;
    private final EffectiveConfig config;

    public ClusterInventory(KubernetesClient client, EffectiveConfig config) {
        this.client = client;
        this.config = config;
    }

    /** VMIs, their Secrets, dedicated Nodes and k3s node-password Secrets that still exist. */
    public List<String> leftovers() {
        List<String> left = new ArrayList<>();
        client.genericKubernetesResources(SimulatedKubeVirt.VMI).inNamespace(config.vmNamespace()).list().getItems()
                .forEach(v -> left.add("VMI " + v.getMetadata().getName()));
        client.secrets().inNamespace(config.vmNamespace()).list().getItems()
                .forEach(s -> left.add("Secret " + config.vmNamespace() + "/" + s.getMetadata().getName()));
        client.nodes().list().getItems().stream().filter(n -> Names.isMaroonNodeName(n.getMetadata().getName()))
                .forEach(n -> left.add("Node " + n.getMetadata().getName()));
        client.secrets().inNamespace(Names.K3S_NODE_PASSWORD_NAMESPACE).list().getItems().stream()
                .filter(s -> Names.isMaroonNodeName(s.getMetadata().getName()))
                .forEach(s -> left.add("Secret " + Names.K3S_NODE_PASSWORD_NAMESPACE + "/" + s.getMetadata().getName()));
        return left;
    }

    /** Every pod, node, VMI, Event, Lease, ConfigMap and Secret, except the token Secret and the VMs' userdata. */
    public Map<String, String> objectsThatMustNotHoldTheToken() {
        Map<String, String> objects = new LinkedHashMap<>();
        Consumer<HasMetadata> add = o -> objects.put(o.getKind() + " " + (o.getMetadata().getNamespace() == null ? ""
                : o.getMetadata().getNamespace() + "/") + o.getMetadata().getName(), Serialization.asJson(o));
        client.pods().inAnyNamespace().list().getItems().forEach(add);
        client.nodes().list().getItems().forEach(add);
        client.genericKubernetesResources(SimulatedKubeVirt.VMI).inAnyNamespace().list().getItems().forEach(add);
        client.events().v1().events().inAnyNamespace().list().getItems().forEach(add);
        client.v1().events().inAnyNamespace().list().getItems().forEach(add);
        client.leases().inAnyNamespace().list().getItems().forEach(add);
        client.configMaps().inAnyNamespace().list().getItems().forEach(add);
        client.secrets().inAnyNamespace().list().getItems().stream()
                .filter(s -> !(s.getMetadata().getNamespace().equals(config.tokenSecretRef().namespace())
                        && s.getMetadata().getName().equals(config.tokenSecretRef().name())))
                .filter(s -> !s.getMetadata().getName().endsWith(Names.USERDATA_SUFFIX))
                .forEach(add);
        return objects;
    }
}
