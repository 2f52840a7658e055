package io.maroonedpods.api.k3s;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What k3s's supervisor checks before an agent may join, as pure functions, so that the simulated k3s server and the
 * provisioner's test fakes refuse exactly what k3s refuses: the token (pkg/clientaccess/token.go for its form and CA
 * hash; the kubeadm bootstrap-token authenticator for a bootstrap token: its Secret, secret, usage and expiration) and
 * then, per node name, the node password against the hash in {@code <node>.node-password.k3s}
 * (pkg/nodepassword: verify when the Secret exists, refuse on a mismatch, create it otherwise).
 */
public final class SupervisorRules {
    /** The error an agent logs when its node password is refused (pkg/agent/config). */
    public static final String PASSWORD_REJECTED = "Node password rejected, duplicate hostname or contents of"
            + " '/etc/rancher/node/password' may not match server node-passwd entry";

    private SupervisorRules() {}

    /**
     * Why the supervisor refuses this join token, or empty when it accepts it. Never shows the token.
     *
     * @param serverCaHash     the hash of the CA bundle the server serves at /cacerts
     * @param bootstrapSecrets the Secret {@code kube-system/bootstrap-token-<id>} of a token id, or null
     * @param clusterPassword  the cluster's own token password (server or agent token), or null when none is accepted
     */
    public static Optional<String> tokenRefusal(
            String token,
            String serverCaHash,
            Function<String, Secret> bootstrapSecrets,
            String clusterPassword,
            Instant now) {
        K3sToken parsed;
        try {
            parsed = K3sToken.parse(token);
        } catch (IllegalArgumentException e) {
            return Optional.of("the join token does not parse: " + e.getMessage());
        }
        if (!parsed.caHash().isEmpty() && !parsed.caHash().equals(serverCaHash)) {
            return Optional.of("token CA hash does not match the Cluster CA certificate hash");
        }
        if (parsed.bootstrap() == null) {
            String password = token.substring(token.lastIndexOf(':') + 1);
            return clusterPassword != null && constantTimeEquals(password, clusterPassword)
                    ? Optional.empty()
                    : Optional.of("401 Unauthorized: the token's password is not the cluster's");
        }
        BootstrapToken bootstrap = parsed.bootstrap();
        Secret secret = bootstrapSecrets.apply(bootstrap.id());
        if (secret == null || !BootstrapToken.SECRET_TYPE.equals(secret.getType())) {
            return Optional.of("401 Unauthorized: no bootstrap token with id " + bootstrap.id());
        }
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        if (!bootstrap.id().equals(decoded(data, BootstrapToken.TOKEN_ID_KEY))
                || !constantTimeEquals(bootstrap.secret(), decoded(data, BootstrapToken.TOKEN_SECRET_KEY))) {
            return Optional.of("401 Unauthorized: bootstrap token " + bootstrap.id() + " has another secret");
        }
        if (!"true".equals(decoded(data, BootstrapToken.USAGE_AUTHENTICATION_KEY))) {
            return Optional.of("401 Unauthorized: bootstrap token " + bootstrap.id() + " is not for authentication");
        }
        String expiration = decoded(data, BootstrapToken.EXPIRATION_KEY);
        try {
            if (expiration != null && !now.isBefore(Instant.parse(expiration))) {
                return Optional.of("401 Unauthorized: bootstrap token " + bootstrap.id() + " expired at " + expiration);
            }
        } catch (DateTimeParseException e) {
            return Optional.of("401 Unauthorized: bootstrap token " + bootstrap.id() + " has an unreadable expiration");
        }
        return Optional.empty();
    }

    /**
     * Why the supervisor refuses node {@code nodeName} with {@code password}, or empty when it accepts it.
     *
     * @param passwordSecret the node name's {@code <node>.node-password.k3s}, or null when there is none (k3s then
     *                       creates it with the hash of this password)
     */
    public static Optional<String> passwordRefusal(String nodeName, Secret passwordSecret, String password) {
        if (password == null || password.isBlank()) {
            return Optional.of("node password not set");
        }
        if (passwordSecret == null) {
            return Optional.empty();
        }
        String hash = passwordSecret.getData() == null ? null : decoded(passwordSecret.getData(), "hash");
        if (hash == null) {
            return Optional.of("unable to verify password for node " + nodeName + ": password hash not found");
        }
        return NodePasswordHash.matches(hash, password.strip()) ? Optional.empty() : Optional.of(PASSWORD_REJECTED);
    }

    private static String decoded(Map<String, String> data, String key) {
        String value = data.get(key);
        return value == null ? null : new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    }

    private static boolean constantTimeEquals(String a, String b) {
        return b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
