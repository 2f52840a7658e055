package io.maroonedpods.testcluster.node;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.k3s.BootstrapToken;
import io.maroonedpods.api.k3s.NodePasswordHash;
import io.maroonedpods.api.k3s.SupervisorRules;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/**
 * The k3s server's supervisor deciding whether an agent may join, as k3s decides ({@link SupervisorRules}): its
 * token (CA hash, then a bootstrap token from its Secret in kube-system, or the cluster's own token), then its node
 * password against {@code <node>.node-password.k3s}, which it creates, as k3s does, for a name that has none.
 */
public final class SimulatedSupervisor {
    /** The type current k3s gives the node-password Secrets it creates itself. */
    static final String K3S_NODE_PASSWORD_TYPE = "k3s.cattle.io/node-password";

    private final KubernetesClient client;
    private final String caHash;
    private final String clusterPassword;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param caHash       the hash of the CA this server serves at /cacerts
     * @param clusterToken the cluster's own join token ({@code K10<hash>::node:<password>}), or null when none
     */
    public SimulatedSupervisor(KubernetesClient client, String caHash, String clusterToken, Clock clock) {
        this.client = client;
        this.caHash = caHash;
        this.clusterPassword = clusterToken == null ? null : clusterToken.substring(clusterToken.lastIndexOf(':') + 1);
        this.clock = clock;
    }

    /** Why the agent of this join info is refused (never showing a credential), or empty when it may register. */
    public Optional<String> admit(JoinInfo join) {
        Optional<String> token = SupervisorRules.tokenRefusal(
                join.token(),
                caHash,
                id -> client.secrets()
                        .inNamespace(BootstrapToken.NAMESPACE)
                        .withName(BootstrapToken.secretName(id))
                        .get(),
                clusterPassword,
                clock.instant());
        if (token.isPresent()) {
            return Optional.of("the k3s server rejected the join token: " + token.get());
        }
        String name = Names.k3sNodePasswordSecret(join.nodeName());
        Secret password = client.secrets()
                .inNamespace(Names.K3S_NODE_PASSWORD_NAMESPACE)
                .withName(name)
                .get();
        Optional<String> refused = SupervisorRules.passwordRefusal(join.nodeName(), password, join.nodePassword());
        if (refused.isPresent()) {
            return Optional.of("the k3s server rejected node " + join.nodeName() + ": " + refused.get());
        }
        if (password == null) {
            // k3s hashes with N = 2^15 here; a cheaper cost keeps large simulated bursts fast and verifies the same
            // way.
            String hash = NodePasswordHash.create(join.nodePassword(), random, NodePasswordHash.PROVISIONER);
            client.secrets()
                    .inNamespace(Names.K3S_NODE_PASSWORD_NAMESPACE)
                    .resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .withNamespace(Names.K3S_NODE_PASSWORD_NAMESPACE)
                            .endMetadata()
                            .withType(K3S_NODE_PASSWORD_TYPE)
                            .withImmutable(true)
                            .addToData(
                                    "hash", Base64.getEncoder().encodeToString(hash.getBytes(StandardCharsets.UTF_8)))
                            .build())
                    .create();
        }
        return Optional.empty();
    }
}
