package io.maroonedpods.provisioner.join;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.k3s.BootstrapToken;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The two Secrets a VM's credentials put in kube-system, as pure functions. */
public final class JoinSecrets {
    private JoinSecrets() {}

    /**
     * The VM's bootstrap token, as {@code k3s token create} writes one, but with the least it needs: usage
     * authentication only (no signing), no extra groups (k3s's supervisor serves agents the group
     * {@code system:bootstrappers} every bootstrap token has), and an expiration at the VM's boot timeout, after which
     * the token authenticates nobody even if its deletion was missed.
     */
    public static Secret bootstrapToken(BootstrapToken token, String vmName, Instant expiresAt) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(BootstrapToken.TOKEN_ID_KEY, token.id());
        data.put(BootstrapToken.TOKEN_SECRET_KEY, token.secret());
        data.put(
                BootstrapToken.EXPIRATION_KEY,
                expiresAt.truncatedTo(ChronoUnit.SECONDS).toString());
        data.put(BootstrapToken.USAGE_AUTHENTICATION_KEY, "true");
        data.put(
                BootstrapToken.DESCRIPTION_KEY,
                "MaroonedPods: the join token of VM " + vmName + " alone; deleted once its node is verified");
        return new SecretBuilder()
                .withNewMetadata()
                .withName(token.secretName())
                .withNamespace(BootstrapToken.NAMESPACE)
                .addToLabels(Names.MANAGED_BY_LABEL, Names.MANAGED_BY_VALUE)
                .endMetadata()
                .withType(BootstrapToken.SECRET_TYPE)
                .withData(base64(data))
                .build();
    }

    /**
     * k3s's record of the node name's password: the registration of {@code nodeName} with any other password is
     * refused by the supervisor before a Node exists. Type Opaque, as k3s itself wrote it before it had a type of its
     * own: its current controller (which watches only its own type) then never hands the Secret to the garbage
     * collector with the Node, so the name stays locked until the provisioner deletes the Secret with the pod.
     */
    public static Secret nodePassword(String nodeName, String passwordHash) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(Names.k3sNodePasswordSecret(nodeName))
                .withNamespace(Names.K3S_NODE_PASSWORD_NAMESPACE)
                .addToLabels(Names.MANAGED_BY_LABEL, Names.MANAGED_BY_VALUE)
                .endMetadata()
                .withType("Opaque")
                .withImmutable(true)
                .withData(base64(Map.of("hash", passwordHash)))
                .build();
    }

    private static Map<String, String> base64(Map<String, String> plain) {
        Map<String, String> encoded = new LinkedHashMap<>();
        plain.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return encoded;
    }
}
