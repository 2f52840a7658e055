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
import io.maroonedpods.provisioner.apply.Apply;
import io.maroonedpods.provisioner.config.ConfigSource;
import io.maroonedpods.provisioner.config.ConfigView;
import io.maroonedpods.provisioner.join.JoinCredentials;
import io.maroonedpods.provisioner.lifecycle.Teardown;
import io.maroonedpods.provisioner.pool.PoolMember.State;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private final PoolSpares spares;
    private final PoolFill fill;
    private final Apply apply;
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
        JoinCredentials credentials = new JoinCredentials(client);
        this.spares = new PoolSpares(client, teardown, credentials);
        this.fill = new PoolFill(client, configs, random, credentials);
        this.apply = new Apply(client);
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
        Seen seen = look(configs.vmNamespace());
        Instant now = clock.instant();
        List<PoolMember> members = seen.pool.values().stream()
                .map(vmi -> PoolMember.of(
                        vmi,
                        seen.nodes.get(vmi.getMetadata().getName()),
                        config.dedicatedTaintKey(),
                        now,
                        config.bootTimeoutSeconds()))
                .toList();
        for (PoolMember member : members) {
            if (member.state() == State.FAILED) {
                LOG.warn("pool VM {}: {}; deleting it", member.name(), member.why());
                teardown.vm(member.name());
            } else if (member.state() == State.VERIFIED) {
                spares.markAvailable(
                        seen.pool.get(member.name()), seen.nodes.get(member.name()), config.dedicatedTaintKey());
            }
        }
        spares.removeOrphans(seen.nodes, seen.secrets, seen.pool.keySet(), configs.vmNamespace());
        poolSeen = !seen.pool.isEmpty() || !seen.nodes.isEmpty() || !seen.secrets.isEmpty();

        int bootingEverywhere = (int) seen.vmis.stream()
                .filter(vmi -> booting(vmi, seen.verifiedNodes, members))
                .count();
        PoolPlan plan = PoolPlan.of(config.warmPoolSize(), members, bootingEverywhere, config.maxConcurrentBoots());
        plan.retire().forEach(name -> spares.retire(seen.pool.get(name)));
        PoolFill.Problem problem = plan.create() > 0 ? fill.create(plan.create(), config, now) : null;
        int available = count(members, State.AVAILABLE) + count(members, State.VERIFIED);
        int booting = count(members, State.BOOTING) + plan.create();
        writeStatus(config.warmPoolSize(), available, booting, count(members, State.CLAIMED), problem, now);
    }

    /** What a pass looks at: the pool's nodes and Secrets, every managed VMI and the pool's among them. */
    private record Seen(
            Map<String, Node> nodes,
            Set<String> verifiedNodes,
            List<Secret> secrets,
            List<VirtualMachineInstance> vmis,
            Map<String, VirtualMachineInstance> pool) {}

    /**
     * Nodes and Secrets are listed before VMIs: a pool node or Secret seen here whose VMI is not in the later list
     * really lost its VMI (it cannot be one whose VMI is just being created). Label-selected lists, not every node of
     * the cluster: pool nodes (self-label pool=true, kept after a claim) and the verified ones (for the boot cap's
     * count of VMs still booting).
     */
    private Seen look(String ns) {
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
        return new Seen(nodes, verifiedNodes, poolSecrets, vmis, pool);
    }

    /** As the boot cap counts: a VM without a verified node; a pool VM until it is available or claimed. */
    private static boolean booting(VirtualMachineInstance vmi, Set<String> verifiedNodes, List<PoolMember> members) {
        String name = vmi.getMetadata().getName();
        if (PoolVm.isPool(vmi)) {
            return members.stream().anyMatch(m -> m.name().equals(name) && m.state() == State.BOOTING);
        }
        return !verifiedNodes.contains(name);
    }

    /**
     * From the watch's copy; a status written meanwhile (the config's Ready condition) makes the patch's guard fail, and
     * the counts are written again over the status read then.
     */
    private void writeStatus(int size, int available, int booting, int claimed, PoolFill.Problem problem, Instant now) {
        MaroonedPodsConfig known = configs.resource().orElse(null);
        if (known == null) {
            return;
        }
        try {
            apply.edit(
                    client.resources(MaroonedPodsConfig.class)
                            .withName(known.getMetadata().getName()),
                    known,
                    current -> {
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
                        }
                        return current;
                    },
                    Apply.Option.STATUS);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 422) {
                throw e;
            }
            LOG.debug("warm pool status: MaroonedPodsConfig kept changing, written on the next pass");
        }
    }

    private static int count(List<PoolMember> members, State state) {
        return (int) members.stream().filter(m -> m.state() == state).count();
    }
}
