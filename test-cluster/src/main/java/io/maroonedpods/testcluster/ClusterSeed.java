package io.maroonedpods.testcluster;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.maroonedpods.api.NodeLan;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec.JoinConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec.NodeNetwork;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec.SecretKeyRef;
import io.maroonedpods.testcluster.store.NamespaceLifecycle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What an installed cluster already has before the first maroon pod: the namespaces, the Secret an earlier install
 * was told to hold the cluster's k3s join token in (the provisioner reads none now, and no VM may ever get it),
 * ordinary Ready worker nodes on the node LAN 192.168.0.0/16 (which also host the virt-launcher pods of the VMs), and
 * MaroonedPodsConfig {@code default} putting the VM nodes on that LAN (with several host nodes, the pod network is
 * refused).
 */
public final class ClusterSeed {
    public static final String TENANT_NAMESPACE = "tenant-a";

    private ClusterSeed() {}

    /**
     * The namespaces the install and the tenant add to those every cluster has (which hold the k3s node-password
     * Secrets, kube-system): the system namespace, the VM namespace and the tenant's.
     */
    public static List<Namespace> namespaces(EffectiveConfig config) {
        List<String> names = List.of(EffectiveConfig.DEFAULT_SYSTEM_NAMESPACE, config.vmNamespace(), TENANT_NAMESPACE);
        return names.stream()
                .distinct()
                .filter(name -> !NamespaceLifecycle.INITIAL.contains(name))
                .map(ClusterSeed::namespace)
                .toList();
    }

    /** A namespace as a user creates it: a name and nothing else. */
    public static Namespace namespace(String name) {
        return new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .build();
    }

    /** The k3s server's address on the node LAN, where the VMs join. */
    public static final String SERVER_URL = "https://192.168.122.10:6443";

    /**
     * MaroonedPodsConfig {@code default}'s spec as the administrator would write it: the VMs on the node LAN
     * (NetworkAttachmentDefinition {@code node-lan} in the VM namespace) joining the server's LAN address.
     */
    public static MaroonedPodsConfigSpec configSpec() {
        return new MaroonedPodsConfigSpec(
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new JoinConfig(SERVER_URL, null),
                null,
                null,
                null,
                null,
                null,
                new NodeNetwork(NodeLan.NETWORK_NAME));
    }

    /** A Secret holding the cluster's join token at {@code ref}, as earlier installs created it. */
    public static Secret tokenSecret(SecretKeyRef ref, String token) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(ref.name())
                .withNamespace(ref.namespace())
                .endMetadata()
                .withType("Opaque")
                .withData(Map.of(ref.key(), Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8))))
                .build();
    }

    /** {@code worker-1..n}: Ready, untainted, 8 CPUs / 32 GiB each. */
    /** The cluster's own agent token, pinned to its CA: random per run (from the seed), never printed. */
    public static String agentToken(long seed) {
        Random random = new Random(seed ^ 0x5eed);
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 48; i++) {
            password.append(Character.forDigit(random.nextInt(16), 16));
        }
        return "K10" + ClusterCa.hash() + "::node:" + password;
    }

    public static List<Node> workers(int count) {
        List<Node> nodes = new ArrayList<>();
        Map<String, Quantity> capacity =
                Map.of("cpu", new Quantity("8"), "memory", new Quantity("32Gi"), "pods", new Quantity("110"));
        for (int i = 1; i <= count; i++) {
            String name = "worker-" + i;
            nodes.add(new NodeBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .addToLabels("kubernetes.io/hostname", name)
                    .addToLabels("kubernetes.io/os", "linux")
                    .addToLabels("node-role.kubernetes.io/worker", "true")
                    .endMetadata()
                    .withNewSpec()
                    .endSpec()
                    .withNewStatus()
                    .addNewAddress()
                    .withType("InternalIP")
                    .withAddress("192.168.122." + (10 + i))
                    .endAddress()
                    .addNewCondition()
                    .withType("Ready")
                    .withStatus("True")
                    .withReason("KubeletReady")
                    .endCondition()
                    .withCapacity(capacity)
                    .withAllocatable(capacity)
                    .endStatus()
                    .build());
        }
        return nodes;
    }
}
