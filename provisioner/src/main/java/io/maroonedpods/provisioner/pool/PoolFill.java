package io.maroonedpods.provisioner.pool;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.apply.Apply;
import io.maroonedpods.provisioner.config.ConfigSource;
import io.maroonedpods.provisioner.events.Reason;
import io.maroonedpods.provisioner.join.JoinCredentials;
import io.maroonedpods.provisioner.join.JoinPin;
import io.maroonedpods.provisioner.join.VmCredentials;
import io.maroonedpods.provisioner.vm.DesiredVm;
import java.time.Instant;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Boots new pool VMs, each under a fresh random name, as a pod's VM is booted: VMI, credentials, userdata Secret. */
final class PoolFill {
    private static final Logger LOG = LoggerFactory.getLogger(PoolFill.class);
    private final KubernetesClient client;
    private final ConfigSource configs;
    private final RandomGenerator random;
    private final JoinCredentials credentials;
    private final Apply apply;

    /** Why the pool cannot be filled: the condition's reason and its message. */
    record Problem(String reason, String message) {}

    PoolFill(KubernetesClient client, ConfigSource configs, RandomGenerator random, JoinCredentials credentials) {
        this.client = client;
        this.configs = configs;
        this.random = random;
        this.credentials = credentials;
        this.apply = new Apply(client);
    }

    /** Boots {@code count} new pool VMs; returns why they cannot be created (node network, cluster CA pin), or null. */
    Problem create(int count, EffectiveConfig config, Instant now) {
        String networkProblem = configs.nodeNetworkProblem(config);
        if (networkProblem != null) {
            LOG.warn("warm pool cannot be filled: {}", networkProblem);
            return new Problem(Reason.NodeNetworkUnsupported.name(), networkProblem);
        }
        JoinPin pin = configs.caPin(config);
        if (!pin.ok()) {
            LOG.warn("warm pool cannot be filled: {}", pin.problem());
            return new Problem(pin.reason().name(), pin.problem());
        }
        for (int i = 0; i < count; i++) {
            boot(PoolVm.newName(random), config, pin, now);
        }
        return null;
    }

    /**
     * As a pod's VM: the VMI names its token, then the credentials, then the Secret the VM waits for, owned by the VMI
     * so that the garbage collector deletes it with it. A fresh name is taken nowhere; if it were, that VM is left.
     */
    private void boot(String name, EffectiveConfig config, JoinPin pin, Instant now) {
        VmCredentials vmCredentials = credentials.mint();
        VirtualMachineInstance desired = DesiredVm.withBootstrapTokenId(
                PoolVm.desired(name, config, UUID.randomUUID().toString(), now),
                vmCredentials.token().id());
        Apply.Applied<VirtualMachineInstance> created =
                apply.createIfAbsent(KubeVirt.vmis(client, config.vmNamespace()).resource(desired), desired);
        if (created.outcome() != Apply.Outcome.CREATED) {
            return;
        }
        VirtualMachineInstance vmi = created.object();
        if (!credentials.install(vmCredentials, name, now.plusSeconds(config.bootTimeoutSeconds()), false)) {
            return; // another provisioner is writing this VM's credentials
        }
        Secret userdata = DesiredVm.ownedBy(PoolVm.userdata(name, config, vmCredentials, pin), vmi);
        apply.createIfAbsent(client.secrets().inNamespace(config.vmNamespace()).resource(userdata), userdata);
        LOG.info("warm pool: created VMI {}/{}", config.vmNamespace(), name);
    }
}
