package io.maroonedpods.provisioner.join;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.k3s.BootstrapToken;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.apply.Apply;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a VM's credentials into kube-system and takes them out again. The provisioner may only create and delete
 * Secrets there (no get, list or watch: it never reads what else is in kube-system), and an admission policy limits
 * those writes to our bootstrap tokens and node-password Secrets (manifests/base/admission).
 */
public final class JoinCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(JoinCredentials.class);
    private final KubernetesClient client;
    private final Apply apply;
    private final SecureRandom random = new SecureRandom();

    public JoinCredentials(KubernetesClient client) {
        this.client = client;
        this.apply = new Apply(client);
    }

    /** Fresh credentials for a VM about to be created (nothing is written yet). */
    public VmCredentials mint() {
        return VmCredentials.mint(random);
    }

    /**
     * Creates the VM's bootstrap token (valid until {@code expiresAt}) and the hash of its node password, before the
     * VM exists. A password Secret already there belongs to no VM of ours (teardown deletes a VM's with it): it is
     * replaced, so that only this VM can register the name. False, with nothing written, when a token by this id
     * exists already and {@code replaceToken} is not set: the id is random and named only on the VM's VMI, so another
     * provisioner that read the VMI is writing this VM's credentials, and the first to create the token writes the rest.
     */
    public boolean install(VmCredentials credentials, String nodeName, Instant expiresAt, boolean replaceToken) {
        Secret token = JoinSecrets.bootstrapToken(credentials.token(), nodeName, expiresAt);
        try {
            apply.createUnread(named(token), token, replaceToken);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false;
            }
            throw e;
        }
        Secret password = JoinSecrets.nodePassword(nodeName, credentials.passwordHash());
        if (apply.createUnread(named(password), password, true)) {
            LOG.info("node {}: replaced an earlier node-password Secret before its VM boots", nodeName);
        }
        return true;
    }

    /**
     * The VM's node has joined and was verified: its bootstrap token has done its job. Deleted before the node may
     * take any pod, so no tenant ever runs on a node whose token is still valid. True when it was deleted now.
     */
    public boolean revoke(VirtualMachineInstance vmi) {
        Map<String, String> annotations = vmi.getMetadata().getAnnotations();
        String id = annotations == null ? null : annotations.get(Names.BOOTSTRAP_TOKEN_ID_LABEL);
        return id != null && revoke(id);
    }

    /** Deletes {@code kube-system/bootstrap-token-<id>}; deleting one that is gone is fine. */
    public boolean revoke(String tokenId) {
        return apply.delete(
                client.secrets().inNamespace(BootstrapToken.NAMESPACE).withName(BootstrapToken.secretName(tokenId)));
    }

    /** Deletes the node name's password Secret: the name is free for the next VM of the same pod. */
    public boolean deletePassword(String nodeName) {
        return apply.delete(client.secrets()
                .inNamespace(Names.K3S_NODE_PASSWORD_NAMESPACE)
                .withName(Names.k3sNodePasswordSecret(nodeName)));
    }

    private Resource<Secret> named(Secret secret) {
        return client.secrets().inNamespace(secret.getMetadata().getNamespace()).resource(secret);
    }
}
