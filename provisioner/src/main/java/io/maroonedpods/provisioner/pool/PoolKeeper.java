package io.maroonedpods.provisioner.pool;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.api.config.MaroonedPodsConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigStatus;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.config.ConfigSource;
import io.maroonedpods.provisioner.config.ConfigView;
import io.maroonedpods.provisioner.events.Reason;
import io.maroonedpods.provisioner.join.JoinCredentials;
import io.maroonedpods.provisioner.join.JoinPin;
import io.maroonedpods.provisioner.join.VmCredentials;
import io.maroonedpods.provisioner.lifecycle.Teardown;
import io.maroonedpods.provisioner.pool.PoolMember.State;
import io.maroonedpods.provisioner.vm.DesiredVm;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code spec.warmPoolSize} unclaimed, verified VMs ready. Each pass (every {@link #INTERVAL} on the leader,
 * but without a request to the API server while the pool is off and the last pass found nothing pooled):
 * classify every pool VM ({@link PoolMember}, pure), delete the failed ones, mark verified ones available, retire the
 * surplus or boot what is missing within the boot cap ({@link PoolPlan}, pure), delete pool nodes and Secrets whose
 * VMI is gone, and write the counts and {@code WarmPoolFilled} to MaroonedPodsConfig's status. Claimed VMs are the
 * pod controller's: this class never touches them.
 */
public final class PoolKeeper {
    public static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(PoolKeeper.class);
    private final KubernetesClient client;
    private final ConfigSource configs;
    private final Teardown teardown;
    private final Clock clock;
    private final RandomGenerator random;
    private final JoinCredentials credentials;
    /**
     * Whether the last pass found anything of the pool (VMIs, claimed ones included, nodes or Secrets). Only this
     * class creates pool VMs, and only while the pool is on: with the pool off and nothing found, there is nothing to
     * look for until the configuration changes. True at first, so a new leader looks once for what an earlier one left.
     */
    private volatile boolean poolSeen = true;

    public PoolKeeper(
            KubernetesClient client, ConfigSource configs, Teardown teardown, Clock clock, RandomGenerator random) {
        this.client = client;
        this.configs = configs;
        this.teardown = teardown;
        this.clock = clock;
        this.random = random;
        this.credentials = new JoinCredentials(client);
    }

    public void pass() {
        ConfigView view = configs.view();
        if (!view.usable()) {
            return; // the Ready condition and the pods' Events say why; nothing is created from an unusable config
        }
        EffectiveConfig config = view.config();
        if (config.warmPoolSize() == 0 && !poolSeen) {
            return;
        }
        String ns = configs.vmNamespace();
        // Nodes and Secrets are listed before VMIs: a pool node or Secret seen here whose VMI is not in the later
        // list really lost its VMI (it cannot be one whose VMI is just being created).
        // Label-selected lists, not every node of the cluster: pool nodes (self-label pool=true, kept after a claim)
        // and the verified ones (for the boot cap's count of VMs still booting).
        Map<String, Node> nodes = client.nodes().withLabel(Names.POOL_LABEL, "true").list().getItems().stream()
                .filter(n -> n.getMetadata().getName().startsWith(Names.POOL_NODE_PREFIX))
                .collect(Collectors.toMap(n -> n.getMetadata().getName(), Function.identity()));
        Set<String> verifiedNodes = client.nodes().withLabel(Names.VERIFIED_POD_UID_LABEL).list().getItems().stream()
                .map(n -> n.getMetadata().getName())
                .collect(Collectors.toSet());
        List<Secret> poolSecrets = client.secrets()
                .inNamespace(ns)
                .withLabel(Names.POOL_LABEL, "true")
                .list()
                .getItems();
        List<VirtualMachineInstance> vmis = KubeVirt.vmis(client, ns)
                .withLabel(Names.MANAGED_BY_LABEL, Names.MANAGED_BY_VALUE)
                .list()
                .getItems();
        Map<String, VirtualMachineInstance> pool = vmis.stream()
                .filter(PoolVm::isPool)
                .collect(Collectors.toMap(v -> v.getMetadata().getName(), Function.identity()));
        Instant now = clock.instant();
        List<PoolMember> members = pool.values().stream()
                .map(vmi -> PoolMember.of(
                        vmi,
                        nodes.get(vmi.getMetadata().getName()),
                        config.dedicatedTaintKey(),
                        now,
                        config.bootTimeoutSeconds()))
                .toList();

        for (PoolMember member : members) {
            if (member.state() == State.FAILED) {
                LOG.warn("pool VM {}: {}; deleting it", member.name(), member.why());
                teardown.vm(member.name());
            } else if (member.state() == State.VERIFIED) {
                markAvailable(pool.get(member.name()), nodes.get(member.name()));
            }
        }
        removeOrphans(nodes, poolSecrets, pool.keySet());
        poolSeen = !pool.isEmpty() || !nodes.isEmpty() || !poolSecrets.isEmpty();

        int bootingEverywhere = (int) vmis.stream()
                .filter(vmi -> booting(vmi, verifiedNodes, members))
                .count();
        PoolPlan plan = PoolPlan.of(config.warmPoolSize(), members, bootingEverywhere, config.maxConcurrentBoots());
        plan.retire().forEach(name -> retire(pool.get(name)));
        FillProblem problem = null;
        if (plan.create() > 0) {
            problem = create(plan.create(), config, now);
        }
        int available = count(members, State.AVAILABLE) + count(members, State.VERIFIED);
        int spareBooting = count(members, State.BOOTING);
        writeStatus(
                config.warmPoolSize(),
                available,
                spareBooting + plan.create(),
                count(members, State.CLAIMED),
                problem,
                now);
    }

    /**
     * Node first, then the VMI: claimers look at the VMI's label, and a claim re-verifies the node anyway. The VM's
     * bootstrap token goes before either: no pod is ever placed on a node whose token still works.
     */
    private void markAvailable(VirtualMachineInstance vmi, Node node) {
        try {
            credentials.revoke(vmi);
            node.getMetadata().setLabels(with(node.getMetadata().getLabels(), Names.POOL_AVAILABLE_LABEL, "true"));
            client.nodes().resource(node).update();
            vmi.getMetadata().setLabels(with(vmi.getMetadata().getLabels(), Names.POOL_AVAILABLE_LABEL, "true"));
            KubeVirt.vmis(client, vmi.getMetadata().getNamespace())
                    .resource(vmi)
                    .update();
            LOG.info(
                    "pool VM {} verified (name, InternalIP, systemUUID): available",
                    vmi.getMetadata().getName());
        } catch (KubernetesClientException e) {
            LOG.debug(
                    "pool VM {} changed while being marked available ({}): next pass",
                    vmi.getMetadata().getName(),
                    e.getCode());
        }
    }

    /**
     * Takes a spare out of the pool, then deletes it. The label update carries the VMI's resourceVersion, so a
     * pod that claimed the VMI meanwhile wins (409 here) and the VM is left to it.
     */
    private void retire(VirtualMachineInstance vmi) {
        Map<String, String> labels = new HashMap<>(vmi.getMetadata().getLabels());
        labels.remove(Names.POOL_AVAILABLE_LABEL);
        vmi.getMetadata().setLabels(labels);
        try {
            KubeVirt.vmis(client, vmi.getMetadata().getNamespace())
                    .resource(vmi)
                    .update();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 || e.getCode() == 404) {
                return;
            }
            throw e;
        }
        LOG.info("pool shrinks: deleting spare pool VM {}", vmi.getMetadata().getName());
        teardown.vm(vmi.getMetadata().getName());
    }

    /** Boots {@code count} new pool VMs; returns why they cannot be created (node network, cluster CA pin), or null. */
    private FillProblem create(int count, EffectiveConfig config, Instant now) {
        String networkProblem = configs.nodeNetworkProblem(config);
        if (networkProblem != null) {
            LOG.warn("warm pool cannot be filled: {}", networkProblem);
            return new FillProblem(Reason.NodeNetworkUnsupported.name(), networkProblem);
        }
        JoinPin pin = configs.caPin(config);
        if (!pin.ok()) {
            LOG.warn("warm pool cannot be filled: {}", pin.problem());
            return new FillProblem(pin.reason().name(), pin.problem());
        }
        for (int i = 0; i < count; i++) {
            String name = PoolVm.newName(random);
            VmCredentials vmCredentials = credentials.mint();
            // As a pod's VM: the VMI names its token, then the credentials, then the Secret the VM waits for, owned
            // by the VMI so that the garbage collector deletes it with it.
            VirtualMachineInstance vmi = KubeVirt.vmis(client, config.vmNamespace())
                    .resource(DesiredVm.withBootstrapTokenId(
                            PoolVm.desired(name, config, UUID.randomUUID().toString(), now),
                            vmCredentials.token().id()))
                    .create();
            credentials.install(vmCredentials, name, now.plusSeconds(config.bootTimeoutSeconds()));
            Secret userdata = DesiredVm.ownedBy(PoolVm.userdata(name, config, vmCredentials, pin), vmi);
            client.secrets()
                    .inNamespace(config.vmNamespace())
                    .resource(userdata)
                    .create();
            LOG.info("warm pool: created VMI {}/{}", config.vmNamespace(), name);
        }
        return null;
    }

    /**
     * Pool nodes and Secrets whose VMI is gone. A claimed node's name stays locked (its password Secret is kept): a
     * pod may still be bound to it, and the pod controller fails that pod and releases the name when it is gone.
     */
    private void removeOrphans(Map<String, Node> nodes, List<Secret> poolSecrets, Set<String> poolVmis) {
        nodes.values().stream()
                .filter(node -> !poolVmis.contains(node.getMetadata().getName()))
                .forEach(node -> {
                    String name = node.getMetadata().getName();
                    boolean claimed = node.getMetadata().getLabels().containsKey(Names.POD_UID_LABEL);
                    LOG.info(
                            "pool node {} has no VMI: deleted {}",
                            name,
                            claimed ? teardown.staleNodeKeepingName(name) : teardown.staleNode(name));
                });
        // A pool VM whose creation stopped before its VMI: its token first, since only this Secret names it.
        poolSecrets.stream()
                .filter(s -> s.getMetadata().getName().endsWith(Names.USERDATA_SUFFIX))
                .filter(s -> !poolVmis.contains(vmNameOf(s)))
                .forEach(s -> {
                    String tokenId = Teardown.tokenIdOf(s);
                    if (tokenId != null) {
                        credentials.revoke(tokenId);
                    }
                    client.secrets()
                            .inNamespace(configs.vmNamespace())
                            .withName(s.getMetadata().getName())
                            .delete();
                });
    }

    /** As the boot cap counts: a VM without a verified node; a pool VM until it is available or claimed. */
    private static boolean booting(VirtualMachineInstance vmi, Set<String> verifiedNodes, List<PoolMember> members) {
        String name = vmi.getMetadata().getName();
        if (PoolVm.isPool(vmi)) {
            return members.stream().anyMatch(m -> m.name().equals(name) && m.state() == State.BOOTING);
        }
        return !verifiedNodes.contains(name);
    }

    /** From the watch's copy: if it is out of date the write meets a conflict and the next pass writes again. */
    private static String vmNameOf(Secret userdata) {
        String name = userdata.getMetadata().getName();
        return name.substring(0, name.length() - Names.USERDATA_SUFFIX.length());
    }

    /** Why the pool cannot be filled: the condition's reason and its message. */
    private record FillProblem(String reason, String message) {}

    private void writeStatus(int size, int available, int booting, int claimed, FillProblem problem, Instant now) {
        MaroonedPodsConfig current = configs.resource()
                .map(c -> client.getKubernetesSerialization().clone(c))
                .orElse(null);
        if (current == null) {
            return;
        }
        MaroonedPodsConfigStatus desired = PoolStatus.desired(
                current.getStatus(),
                size,
                available,
                booting,
                claimed,
                problem == null ? null : problem.reason(),
                problem == null ? null : problem.message(),
                now);
        if (desired != null) {
            current.setStatus(desired);
            try {
                // Carries the copy's resourceVersion: a status written meanwhile is never overwritten with an old one.
                client.resources(MaroonedPodsConfig.class).resource(current).patchStatus();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                LOG.debug("warm pool status: MaroonedPodsConfig changed meanwhile, written on the next pass");
            }
        }
    }

    private static int count(List<PoolMember> members, State state) {
        return (int) members.stream().filter(m -> m.state() == state).count();
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> result = labels == null ? new HashMap<>() : new HashMap<>(labels);
        result.put(key, value);
        return result;
    }
}
