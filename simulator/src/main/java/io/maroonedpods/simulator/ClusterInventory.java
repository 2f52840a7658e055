package io.maroonedpods.simulator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.OptIn;
import io.maroonedpods.api.Userdata;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.api.k3s.BootstrapToken;
import io.maroonedpods.testcluster.ClusterSeed;
import io.maroonedpods.testcluster.kubevirt.SimulatedKubeVirt;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
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

    /** VMIs, their Secrets, dedicated Nodes, k3s node-password Secrets and bootstrap tokens that still exist. */
    /** Maroon pods still in the tenant namespace. */
    public long maroonPodCount() {
        return client.pods().inNamespace(ClusterSeed.TENANT_NAMESPACE).list().getItems().stream()
                .filter(OptIn::isMaroon)
                .count();
    }

    /** Ordinary pods the default scheduler's stand-in has placed. */
    public int ordinaryPodsBound() {
        return (int) client.pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> !OptIn.isMaroon(p))
                .filter(p -> p.getSpec().getNodeName() != null
                        && !p.getSpec().getNodeName().isEmpty())
                .count();
    }

    public List<String> leftovers() {
        List<String> left = new ArrayList<>();
        client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                .inNamespace(config.vmNamespace())
                .list()
                .getItems()
                .forEach(v -> left.add("VMI " + v.getMetadata().getName()));
        client.secrets()
                .inNamespace(config.vmNamespace())
                .list()
                .getItems()
                .forEach(s -> left.add(
                        "Secret " + config.vmNamespace() + "/" + s.getMetadata().getName()));
        client.nodes().list().getItems().stream()
                .filter(n -> Names.isMaroonNodeName(n.getMetadata().getName()))
                .forEach(n -> left.add("Node " + n.getMetadata().getName()));
        client.secrets().inNamespace(Names.K3S_NODE_PASSWORD_NAMESPACE).list().getItems().stream()
                .filter(s -> Names.isMaroonNodeName(s.getMetadata().getName())
                        || s.getMetadata().getName().startsWith(BootstrapToken.SECRET_PREFIX))
                .forEach(s -> left.add("Secret " + Names.K3S_NODE_PASSWORD_NAMESPACE + "/"
                        + s.getMetadata().getName()));
        return left;
    }

    /**
     * Every pod, node, VMI, Event, Lease, ConfigMap and Secret but the one the cluster's token is kept in; for the VMs'
     * userdata Secrets also the join info their guests get, decoded: no VM may hold the cluster's token.
     */
    public Map<String, String> objectsThatMustNotHoldTheToken() {
        Map<String, String> objects = new LinkedHashMap<>();
        Consumer<HasMetadata> add = o -> objects.put(
                o.getKind() + " "
                        + (o.getMetadata().getNamespace() == null
                                ? ""
                                : o.getMetadata().getNamespace() + "/")
                        + o.getMetadata().getName(),
                Serialization.asJson(o));
        client.pods().inAnyNamespace().list().getItems().forEach(add);
        client.nodes().list().getItems().forEach(add);
        client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                .inAnyNamespace()
                .list()
                .getItems()
                .forEach(add);
        client.events().v1().events().inAnyNamespace().list().getItems().forEach(add);
        client.v1().events().inAnyNamespace().list().getItems().forEach(add);
        client.leases().inAnyNamespace().list().getItems().forEach(add);
        client.configMaps().inAnyNamespace().list().getItems().forEach(add);
        client.secrets().inAnyNamespace().list().getItems().stream()
                .filter(s -> !(s.getMetadata().getNamespace().equals(EffectiveConfig.DEFAULT_TOKEN_SECRET.namespace())
                        && s.getMetadata().getName().equals(EffectiveConfig.DEFAULT_TOKEN_SECRET.name())))
                .forEach(add);
        client.secrets().inNamespace(config.vmNamespace()).list().getItems().stream()
                .filter(s -> s.getMetadata().getName().endsWith(Names.USERDATA_SUFFIX))
                .forEach(s ->
                        objects.put("the join info of VM " + s.getMetadata().getName(), joinInfoOf(s)));
        return objects;
    }

    /** What cloud-init writes in the guest from a userdata Secret (its own text when it is not ours). */
    private static String joinInfoOf(Secret secret) {
        try {
            String userdata = new String(
                    Base64.getDecoder().decode(secret.getData().get(Names.USERDATA_KEY)), StandardCharsets.UTF_8);
            return Userdata.joinInfoFile(userdata);
        } catch (RuntimeException e) {
            return Serialization.asJson(secret);
        }
    }
}
