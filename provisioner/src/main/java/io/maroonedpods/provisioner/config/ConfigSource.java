package io.maroonedpods.provisioner.config;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NodeList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.api.config.InvalidConfigException;
import io.maroonedpods.api.config.MaroonedPodsConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec.SecretKeyRef;
import io.maroonedpods.provisioner.join.JoinPin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Where the provisioner gets its configuration: MaroonedPodsConfig {@code default} (from a watch, defaults when it
 * is absent) and the cluster CA pin of the VMs' tokens (worked out when a VM is about to be created, held no longer
 * than {@link #PIN_REUSED_FOR}). No cluster token is read: every VM joins with a bootstrap token of its own. The VMI
 * namespace is fixed when the provisioner starts, because the VMI watch is bound to it.
 */
public final class ConfigSource {
    /**
     * A pin read is reused for VMs created within this long: a read per VM would be a round trip between a freed boot
     * slot and the next VM. A rotated CA reaches new VMs this much later; a problem is never reused.
     */
    static final Duration PIN_REUSED_FOR = Duration.ofSeconds(5);

    /** A count of the host cluster's nodes is reused this long: nodes come and go rarely, VMs are created in bursts. */
    static final Duration HOST_NODES_REUSED_FOR = Duration.ofSeconds(30);

    private volatile Supplier<Optional<MaroonedPodsConfig>> current = Optional::empty;
    private final AtomicReference<HostNodeCount> lastCount = new AtomicReference<>();
    private final AtomicReference<ReadPin> lastPin = new AtomicReference<>();
    private final AtomicReference<LastView> lastView = new AtomicReference<>();
    private final KubernetesClient client;
    private final String pinnedVmNamespace;

    public ConfigSource(KubernetesClient client, String pinnedVmNamespace) {
        this.client = client;
        this.pinnedVmNamespace = pinnedVmNamespace;
    }

    /** Where the current MaroonedPodsConfig comes from (the controller's watch, once it exists). */
    public void follow(Supplier<Optional<MaroonedPodsConfig>> source) {
        this.current = source;
    }

    /**
     * The VMI namespace a provisioner starting now uses: MaroonedPodsConfig default's if it is valid, else the
     * default. An API error is not "absent": it propagates, and the start is retried rather than pinned wrongly.
     */
    public static String vmNamespaceAtStart(KubernetesClient client) {
        MaroonedPodsConfig config = client.resources(MaroonedPodsConfig.class)
                .withName(io.maroonedpods.api.Names.CONFIG_NAME)
                .get();
        try {
            return EffectiveConfig.of(config == null ? null : config.getSpec()).vmNamespace();
        } catch (InvalidConfigException e) {
            return EffectiveConfig.defaults().vmNamespace();
        }
    }

    /** MaroonedPodsConfig {@code default} as the watch last saw it (empty when absent or not yet seen). */
    public Optional<MaroonedPodsConfig> resource() {
        return current.get();
    }

    public String vmNamespace() {
        return pinnedVmNamespace;
    }

    /**
     * The view of the MaroonedPodsConfig in force. Every reconcile asks: the view of the same object (the watch's
     * cache keeps it until it changes) is worked out once.
     */
    public ConfigView view() {
        MaroonedPodsConfig resource = current.get().orElse(null);
        LastView last = lastView.get();
        if (last != null && last.resource() == resource) {
            return last.view();
        }
        ConfigView view = viewOf(Optional.ofNullable(resource));
        lastView.set(new LastView(resource, view));
        return view;
    }

    private record LastView(MaroonedPodsConfig resource, ConfigView view) {}

    /** The view of a given MaroonedPodsConfig (empty: none exists). */
    public ConfigView viewOf(Optional<MaroonedPodsConfig> resource) {
        Long generation = resource.map(r -> r.getMetadata().getGeneration()).orElse(null);
        try {
            EffectiveConfig config =
                    EffectiveConfig.of(resource.map(MaroonedPodsConfig::getSpec).orElse(null));
            if (!config.vmNamespace().equals(pinnedVmNamespace)) {
                return new ConfigView(
                        null,
                        "spec.vmNamespace: changed to '" + config.vmNamespace() + "' but this provisioner watches '"
                                + pinnedVmNamespace + "': restart the provisioner",
                        generation);
            }
            return new ConfigView(config, null, generation);
        } catch (InvalidConfigException e) {
            return new ConfigView(null, "MaroonedPodsConfig default is invalid: " + e.getMessage(), generation);
        }
    }

    /**
     * Why no VM may be created on the configured node network ({@link NodeNetworkRule}), or null. On the pod network
     * this counts the nodes that are not VM nodes, two at most, reusing a count for
     * {@link #HOST_NODES_REUSED_FOR}; an API error is a problem too, never "fine".
     */
    public String nodeNetworkProblem(EffectiveConfig config) {
        if (config.onNodeLan()) {
            return null;
        }
        HostNodeCount last = lastCount.get();
        if (last == null || System.nanoTime() - last.nanos() >= HOST_NODES_REUSED_FOR.toNanos()) {
            try {
                last = new HostNodeCount(countHostNodes(2), System.nanoTime());
                lastCount.set(last);
            } catch (RuntimeException e) {
                return NodeNetworkRule.FIELD + ": cannot count the cluster's nodes to check that the pod network can"
                        + " carry VM traffic: " + e.getClass().getSimpleName();
            }
        }
        return NodeNetworkRule.problem(false, last.count());
    }

    private record HostNodeCount(int count, long nanos) {}

    /**
     * Nodes that are not VM nodes, counted up to {@code enough}: without our self-labels and not named
     * {@code maroon-*} (a VM node that has not labelled itself, or an orphan). Read a page at a time, so a large
     * cluster is not listed whole.
     */
    private int countHostNodes(int enough) {
        int count = 0;
        String next = null;
        do {
            NodeList page = client.nodes()
                    .withoutLabel(Names.POD_UID_LABEL)
                    .withoutLabel(Names.POOL_LABEL)
                    .list(new ListOptionsBuilder()
                            .withLimit(50L)
                            .withContinue(next)
                            .build());
            count += (int) page.getItems().stream()
                    .filter(n -> !n.getMetadata().getName().startsWith(Names.NODE_PREFIX))
                    .count();
            next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (count < enough && next != null && !next.isEmpty());
        return count;
    }

    /**
     * The cluster CA hash the VMs' tokens are pinned to: from the Secret named by {@code spec.join.tokenSecretRef} if
     * one is named (its {@code K10<hash>::} only; a server token is refused), else from the CA this provisioner's own
     * client trusts for the API server. A result is reused for {@link #PIN_REUSED_FOR}; a problem never is.
     */
    public JoinPin caPin(EffectiveConfig config) {
        SecretKeyRef ref = config.tokenSecretRef();
        ReadPin last = lastPin.get();
        if (last != null
                && Objects.equals(last.ref(), ref)
                && System.nanoTime() - last.nanos() < PIN_REUSED_FOR.toNanos()) {
            return last.pin();
        }
        JoinPin pin = ref == null ? pinFromClientCa() : pinFromSecret(ref);
        if (pin.ok()) {
            lastPin.set(new ReadPin(ref, pin, System.nanoTime()));
        }
        return pin;
    }

    private record ReadPin(SecretKeyRef ref, JoinPin pin, long nanos) {}

    private JoinPin pinFromSecret(SecretKeyRef ref) {
        String where = "Secret " + ref.namespace() + "/" + ref.name() + " key " + ref.key();
        Secret secret;
        try {
            secret = client.secrets()
                    .inNamespace(ref.namespace())
                    .withName(ref.name())
                    .get();
        } catch (RuntimeException e) {
            return JoinPin.refused(
                    JoinPin.SECRET_MISSING,
                    "cannot read " + where + ": " + e.getClass().getSimpleName() + " (spec.join.tokenSecretRef)");
        }
        if (secret == null) {
            return JoinPin.refused(JoinPin.SECRET_MISSING, where + " does not exist (spec.join.tokenSecretRef)");
        }
        String value = null;
        if (secret.getData() != null && secret.getData().get(ref.key()) != null) {
            value = new String(Base64.getDecoder().decode(secret.getData().get(ref.key())), StandardCharsets.UTF_8);
        } else if (secret.getStringData() != null) {
            value = secret.getStringData().get(ref.key());
        }
        if (value == null || value.isBlank()) {
            return JoinPin.refused(JoinPin.SECRET_MISSING, where + " is missing or empty (spec.join.tokenSecretRef)");
        }
        return JoinPin.fromConfiguredToken(value, where);
    }

    /** The CA bundle of the client's configuration: inline data (base64 PEM, as in a kubeconfig) or a file. */
    private JoinPin pinFromClientCa() {
        io.fabric8.kubernetes.client.Config c = client.getConfiguration();
        String data = c.getCaCertData();
        if (data != null && !data.isBlank()) {
            return JoinPin.fromClusterCa(decodeCaData(data), "the client's certificate-authority-data");
        }
        String file = c.getCaCertFile();
        if (file == null || file.isBlank()) {
            return JoinPin.fromClusterCa(null, "no certificate-authority configured");
        }
        try {
            return JoinPin.fromClusterCa(Files.readAllBytes(Path.of(file)), file);
        } catch (IOException | RuntimeException e) {
            return JoinPin.refused(
                    JoinPin.CA_UNKNOWN,
                    "cannot read the CA the provisioner trusts for the API server, " + file + ": "
                            + e.getClass().getSimpleName());
        }
    }

    /** fabric8 takes certificate-authority-data as base64 of the PEM, and as the PEM itself when it is not base64. */
    static byte[] decodeCaData(String data) {
        try {
            return Base64.getMimeDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            return data.getBytes(StandardCharsets.UTF_8);
        }
    }
}
