package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.apply.Apply;
import io.maroonedpods.provisioner.config.ConfigSource;
import io.maroonedpods.provisioner.events.EventPublisher;
import io.maroonedpods.provisioner.events.Reason;
import io.maroonedpods.provisioner.join.JoinCredentials;
import io.maroonedpods.provisioner.join.JoinPin;
import io.maroonedpods.provisioner.join.VmCredentials;
import io.maroonedpods.provisioner.lifecycle.BootRecord;
import io.maroonedpods.provisioner.lifecycle.ObservedVm;
import io.maroonedpods.provisioner.lifecycle.Teardown;
import io.maroonedpods.provisioner.observe.ProvisionerMetrics;
import io.maroonedpods.provisioner.vm.DesiredVm;
import io.maroonedpods.provisioner.vm.Sizing;
import io.maroonedpods.provisioner.vm.VmSize;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boots a pod's own VM, within a boot slot. The VMI is created first, annotated with the id of the VM's bootstrap
 * token, so that whatever happens next, teardown finds the token; then the token and the node password; then the
 * userdata Secret, owned by the VMI from the start, so that the garbage collector deletes it with the VMI. The VM
 * cannot start before that Secret exists (virt-launcher waits for its volume), so its credentials are in place before
 * its guest can use them.
 */
final class VmBooter {
    private static final Logger LOG = LoggerFactory.getLogger(VmBooter.class);
    static final Duration QUEUED_RECHECK = Duration.ofSeconds(5);

    /**
     * How long the provisioner that created a VMI has to write its credentials (a few requests, back to back) before
     * another one, finding the VMI without them, replaces its token and writes them itself.
     */
    static final Duration WRITER_GRACE = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final Apply apply;
    private final ConfigSource configs;
    private final EventPublisher events;
    private final ProvisionerMetrics metrics;
    private final Clock clock;
    private final Teardown teardown;
    private final JoinCredentials credentials;
    private final VmSecrets secrets;
    private final PodEdits pods;
    private final BootLine line;

    VmBooter(
            KubernetesClient client,
            ConfigSource configs,
            EventPublisher events,
            ProvisionerMetrics metrics,
            Clock clock,
            Teardown teardown,
            PodEdits pods,
            BootLine line) {
        this.client = client;
        this.apply = new Apply(client);
        this.configs = configs;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.teardown = teardown;
        this.credentials = new JoinCredentials(client);
        this.secrets = new VmSecrets(client, credentials, teardown);
        this.pods = pods;
        this.line = line;
    }

    /** The pod waits for a boot slot: it keeps its place in line; returns when to recheck. */
    Duration queue(Pod pod, EffectiveConfig config) {
        line.waiting(pod);
        events.publish(
                pod,
                Reason.BootQueued,
                "waiting for a boot slot: " + config.maxConcurrentBoots()
                        + " VMs are booting (spec.maxConcurrentBoots)");
        return QUEUED_RECHECK;
    }

    /** No VM can be created now: the pod is told why. */
    void refuse(Pod pod, PodAction.Refuse refusal) {
        events.publish(pod, refusal.reason(), refusal.problem());
    }

    /** Boots a VM for the pod if a boot slot is free; returns when to look again. */
    Duration boot(Pod pod, EffectiveConfig config, BootRecord record, boolean staleNode) {
        if (line.inFlight(pod)) {
            return QUEUED_RECHECK; // our cache is behind our own create: the VMI exists, nothing to boot
        }
        if (!line.tryAcquire(pod, config.maxConcurrentBoots())) {
            return queue(pod, config);
        }
        try {
            Duration next = bootInSlot(pod, config, record, staleNode);
            if (next == null) {
                line.release(pod);
                return QUEUED_RECHECK;
            }
            return next;
        } catch (RuntimeException e) {
            line.release(pod);
            throw e;
        }
    }

    /** Null when no VM was created (the slot goes back). */
    private Duration bootInSlot(Pod pod, EffectiveConfig config, BootRecord record, boolean staleNode) {
        PodAction.Refuse refused = refusal(config);
        if (refused != null) {
            refuse(pod, refused);
            line.release(pod);
            return PodPlan.CONFIG_RECHECK;
        }
        String name = Names.nodeName(pod.getMetadata().getUid());
        VmCredentials minted = credentials.mint();
        Secret userdata;
        try {
            userdata = DesiredVm.userdataSecret(pod, config, minted, configs.caPin(config));
        } catch (IllegalArgumentException e) {
            events.publish(pod, Reason.ConfigInvalid, e.getMessage());
            line.release(pod);
            return PodPlan.CONFIG_RECHECK;
        }
        if (staleNode && !removedStaleNode(name, config)) {
            return null;
        }
        int attempt = record.attempts() + 1;
        Instant now = clock.instant();
        VirtualMachineInstance desired = DesiredVm.withBootstrapTokenId(
                DesiredVm.vmi(pod, config, UUID.randomUUID().toString(), now, attempt),
                minted.token().id());
        Apply.Applied<VirtualMachineInstance> created =
                apply.createIfAbsent(KubeVirt.vmis(client, config.vmNamespace()).resource(desired), desired);
        if (created.outcome() != Apply.Outcome.CREATED) {
            return null; // there already (our cache lagged behind our own create): not a new attempt, nothing minted
        }
        // False when a new leader finishing this boot wrote the token first: it writes the rest, we record the boot.
        secrets.write(name, config, minted, userdata, created.object(), now, false);
        // Counted once the VMI exists, so an API error before it costs no attempt; the VMI carries the count as well.
        pods.recordBoot(
                pod,
                new BootRecord(attempt, null, null),
                PodShape.toleration(
                        config.dedicatedTaintKey(), pod.getMetadata().getUid()));
        announce(pod, config, name, attempt, now);
        return Duration.ofSeconds(Math.min(config.bootTimeoutSeconds(), 15));
    }

    /**
     * Finishes a boot that stopped between its VMI and the pod's record. Without its userdata Secret the VM cannot
     * start, so nothing has used its credentials yet: they are made again under the token id the VMI names, then the
     * Secret. With the Secret there, only the record was missing. Another provisioner (one that led before us, its
     * last reconciles still running) may be finishing or tearing down the same VM meanwhile: whichever creates the
     * token first writes the rest, and whatever ends with no VM, this token is revoked by its id, since no VMI or
     * Secret is left to name it.
     */
    Duration finish(Pod pod, EffectiveConfig config, VirtualMachineInstance vmi, int attempt) {
        String name = vmi.getMetadata().getName();
        Map<String, String> annotations = vmi.getMetadata().getAnnotations();
        String tokenId = annotations == null ? null : annotations.get(Names.BOOTSTRAP_TOKEN_ID_LABEL);
        if (tokenId == null) {
            teardown.vm(name); // not one of ours as we make them: booted again from the start
            return QUEUED_RECHECK;
        }
        Secret userdata = client.secrets()
                .inNamespace(config.vmNamespace())
                .withName(Names.userdataSecretName(name))
                .get();
        if (userdata == null) {
            Instant now = clock.instant();
            Duration age = Duration.between(ObservedVm.of(vmi, now).bootStartedAt(), now);
            VmCredentials minted = credentials.mint().withTokenId(tokenId);
            boolean written;
            try {
                written = secrets.write(
                        name,
                        config,
                        minted,
                        DesiredVm.userdataSecret(pod, config, minted, configs.caPin(config)),
                        vmi,
                        now,
                        age.compareTo(WRITER_GRACE) >= 0);
            } catch (RuntimeException e) {
                secrets.revokeAfterAll(tokenId, e); // the write tore the VM down, maybe after its token's records
                throw e;
            }
            if (!written) {
                // Its maker is writing them; if it stopped, they are made again once the grace is out. A start in the
                // future (another provisioner's clock ahead of ours) waits a grace at a time.
                return age.isNegative() ? WRITER_GRACE : WRITER_GRACE.minus(age);
            }
            if (!stillThere(vmi, config)) {
                // Torn down while its credentials were written again: the token was made after that teardown revoked
                // it.
                secrets.revokeAfterAll(tokenId, null);
                return QUEUED_RECHECK;
            }
            LOG.info(
                    "VMI {}/{}: its boot had stopped before its userdata Secret; finished", config.vmNamespace(), name);
        }
        pods.recordBoot(
                pod,
                new BootRecord(attempt, null, null),
                PodShape.toleration(
                        config.dedicatedTaintKey(), pod.getMetadata().getUid()));
        return Duration.ofSeconds(Math.min(config.bootTimeoutSeconds(), 15));
    }

    /** The VMI as it is now is the one the cache gave us, and not being deleted. */
    private boolean stillThere(VirtualMachineInstance cached, EffectiveConfig config) {
        VirtualMachineInstance live = KubeVirt.vmis(client, config.vmNamespace())
                .withName(cached.getMetadata().getName())
                .get();
        return live != null
                && live.getMetadata().getUid().equals(cached.getMetadata().getUid())
                && live.getMetadata().getDeletionTimestamp() == null;
    }

    /** Why no VM can be created now (node network, cluster CA pin), or null. */
    private PodAction.Refuse refusal(EffectiveConfig config) {
        String networkProblem = configs.nodeNetworkProblem(config);
        if (networkProblem != null) {
            return new PodAction.Refuse(
                    Reason.NodeNetworkUnsupported, networkProblem + "; no VM is created until it is set");
        }
        JoinPin pin = configs.caPin(config);
        return pin.ok()
                ? null
                : new PodAction.Refuse(pin.reason(), pin.problem() + "; no VM is created until this is fixed");
    }

    /** A node by the VM's name but no VMI in the cache: read before deleting it, the cache may just lag. */
    private boolean removedStaleNode(String name, EffectiveConfig config) {
        if (KubeVirt.vmis(client, config.vmNamespace()).withName(name).get() != null) {
            return false; // our watch is behind: the VMI exists, nothing to boot, its node is not stale
        }
        teardown.staleNode(name);
        return true;
    }

    private void announce(Pod pod, EffectiveConfig config, String name, int attempt, Instant now) {
        VmSize size = Sizing.of(pod.getSpec(), config);
        LOG.info(
                "pod {}/{} ({}): created VMI {}/{} ({} vCPU, {}), attempt {} of {}",
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                pod.getMetadata().getUid(),
                config.vmNamespace(),
                name,
                size.cpuCores(),
                size.memoryQuantity(),
                attempt,
                config.maxBootAttempts());
        metrics.vmiCreated(pod, now);
        events.publish(
                pod,
                Reason.VmiCreated,
                "created VMI " + config.vmNamespace() + "/" + name + " ("
                        + size.cpuCores() + " vCPU, " + size.memoryQuantity() + "), boot attempt " + attempt + " of "
                        + config.maxBootAttempts());
    }
}
