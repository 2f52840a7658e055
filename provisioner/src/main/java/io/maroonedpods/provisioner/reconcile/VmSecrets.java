package io.maroonedpods.provisioner.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.apply.Apply;
import io.maroonedpods.provisioner.join.JoinCredentials;
import io.maroonedpods.provisioner.join.VmCredentials;
import io.maroonedpods.provisioner.lifecycle.Teardown;
import io.maroonedpods.provisioner.vm.DesiredVm;
import java.time.Instant;
import java.util.Map;

/**
 * What a boot writes after its VMI: the VM's bootstrap token and node password (kube-system), then its userdata
 * Secret, owned by the VMI. When they cannot all be written the VM is deleted at once rather than left to wait for its
 * boot timeout.
 */
final class VmSecrets {
    private final KubernetesClient client;
    private final Apply apply;
    private final JoinCredentials credentials;
    private final Teardown teardown;

    VmSecrets(KubernetesClient client, JoinCredentials credentials, Teardown teardown) {
        this.client = client;
        this.apply = new Apply(client);
        this.credentials = credentials;
        this.teardown = teardown;
    }

    /**
     * Writes the credentials and the userdata Secret of VM {@code name}, whose VMI is {@code vmi}; on failure tears that
     * VMI down and rethrows.
     * False, with nothing written or torn down, when another provisioner is writing them (its token exists already):
     * a new leader finishing a boot of ours, or the leader before it still booting what we finish. With
     * {@code replaceToken}, that token is replaced instead: its writer stopped half-way.
     */
    boolean write(
            String name,
            EffectiveConfig config,
            VmCredentials minted,
            Secret userdata,
            VirtualMachineInstance vmi,
            Instant now,
            boolean replaceToken) {
        try {
            if (!credentials.install(minted, name, now.plusSeconds(config.bootTimeoutSeconds()), replaceToken)) {
                return false;
            }
            Secret owned = DesiredVm.ownedBy(userdata, vmi);
            // One left by an earlier attempt that stopped before its VMI, or whose VMI the garbage collector has not
            // taken along yet, is made this one's; the token it names is revoked before it stops naming it.
            apply.create(
                    client.secrets().inNamespace(config.vmNamespace()).resource(owned),
                    owned,
                    existing -> replacing(existing, owned));
            return true;
        } catch (RuntimeException e) {
            try {
                // This VMI only: another provisioner may have replaced it by one of the same name meanwhile.
                teardown.known(podUidOf(vmi), new Teardown.KnownVm(vmi, false), false, null);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup); // the boot timeout or the sweep finishes it
            }
            throw e;
        }
    }

    private static String podUidOf(VirtualMachineInstance vmi) {
        Map<String, String> labels = vmi.getMetadata().getLabels();
        return labels == null ? null : labels.get(Names.POD_UID_LABEL);
    }

    /**
     * Revokes a token a boot wrote, by the id it knows: once the VM it was for is gone, nothing names the token any
     * more (its userdata Secret goes with the VMI), and no teardown would find it. A failure to revoke is added to
     * {@code failure} when there is one (the token still expires at the boot timeout), else thrown.
     */
    void revokeAfterAll(String tokenId, RuntimeException failure) {
        try {
            credentials.revoke(tokenId);
        } catch (RuntimeException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
    }

    private Secret replacing(Secret existing, Secret owned) {
        String left = Teardown.tokenIdOf(existing);
        if (left != null && !left.equals(Teardown.tokenIdOf(owned))) {
            credentials.revoke(left);
        }
        return new SecretBuilder(existing)
                .editMetadata()
                .withLabels(owned.getMetadata().getLabels())
                .withAnnotations(owned.getMetadata().getAnnotations())
                .withOwnerReferences(owned.getMetadata().getOwnerReferences())
                .endMetadata()
                .withData(owned.getData())
                .build();
    }
}
