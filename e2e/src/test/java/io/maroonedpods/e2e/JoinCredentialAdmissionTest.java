package io.maroonedpods.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.k3s.BootstrapToken;
import io.maroonedpods.api.k3s.NodePasswordHash;
import io.maroonedpods.e2e.support.ControlPlane;
import io.maroonedpods.e2e.support.Installation;
import io.maroonedpods.e2e.support.Kubeconfig;
import io.maroonedpods.e2e.support.Kubectl;
import io.maroonedpods.e2e.support.RealClusterExtension;
import io.maroonedpods.provisioner.join.JoinSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The provisioner's RBAC lets it create and delete any Secret in kube-system (a VM's bootstrap token and node-password
 * Secret are named per VM, and RBAC cannot match a name pattern); the two ValidatingAdmissionPolicies of
 * manifests/base/admission narrow that to the VMs' join credentials in their least form. Here a real kube-apiserver
 * evaluates them on real requests made under the provisioner's ServiceAccount token, each case named after what an
 * attacker holding that token would try; and Kubernetes' own bootstrap-token authenticator shows that the token Secret
 * the provisioner writes authenticates as a bootstrapper and nothing more, and only until it is deleted or expires.
 */
@ExtendWith(RealClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JoinCredentialAdmissionTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = BootstrapToken.NAMESPACE;

    private Installation install;
    private KubernetesClient admin;
    private KubernetesClient provisioner;

    @BeforeAll
    void installAndWaitForThePolicies(ControlPlane plane) {
        install = Installation.install(plane, "secondary-scheduler");
        admin = plane.adminClient();
        provisioner = plane.serviceAccountIdentity("maroonedpods-system", "maroonedpods-provisioner")
                .client();
        // The API server loads new policies asynchronously: until a request the policies deny is denied, they are
        // not in force yet (RBAC alone allows it; what got through is removed again).
        Secret probe = new SecretBuilder()
                .withNewMetadata()
                .withName("maroonedpods-policy-probe")
                .withNamespace(NS)
                .endMetadata()
                .build();
        install.await("the admission policies in force", Duration.ofSeconds(60), () -> {
            try {
                provisioner.resource(probe).create();
                admin.secrets()
                        .inNamespace(NS)
                        .withName("maroonedpods-policy-probe")
                        .delete();
                return false;
            } catch (KubernetesClientException e) {
                return e.getCode() == 422 || e.getCode() == 403;
            }
        });
    }

    @AfterAll
    void close() {
        if (provisioner != null) {
            provisioner.close();
        }
        if (install != null) {
            install.close();
        }
    }

    @Test
    void theProvisionersTokenMayWriteInKubeSystemOnlyTheVmsJoinCredentialsInTheirLeastForm() {
        String uid = UUID.randomUUID().toString();
        String node = Names.nodeName(uid);
        BootstrapToken vmToken = BootstrapToken.random(RANDOM);
        Secret asMinted =
                JoinSecrets.bootstrapToken(vmToken, node, Instant.now().plus(Duration.ofMinutes(10)));
        String hash =
                NodePasswordHash.create(NodePasswordHash.newPassword(RANDOM), RANDOM, NodePasswordHash.PROVISIONER);
        Secret password = JoinSecrets.nodePassword(node, hash);
        List<String> wrong = new ArrayList<>();

        // What the provisioner does for every VM.
        expect(wrong, "a VM's bootstrap token as the provisioner mints it", true, () -> create(asMinted));
        expect(wrong, "a VM's node-password Secret as the provisioner writes it", true, () -> create(password));

        // A stolen provisioner token minting a credential stronger than a VM's.
        expect(
                wrong,
                "a token of another type (not a bootstrap token: any Secret under that name)",
                false,
                () -> create(token(t -> t.withType("Opaque"))));
        expect(
                wrong,
                "a token that never expires",
                false,
                () -> create(token(t -> t.removeFromData(BootstrapToken.EXPIRATION_KEY))));
        expect(
                wrong,
                "a token that may also sign (the cluster-info ConfigMap's JWS)",
                false,
                () -> create(token(t -> t.addToData("usage-bootstrap-signing", b64("true")))));
        expect(
                wrong,
                "a token with extra groups (kubeadm's system:bootstrappers:kubeadm:default-node-token)",
                false,
                () -> create(token(t -> t.addToData(
                        BootstrapToken.EXTRA_GROUPS_KEY, b64("system:bootstrappers:kubeadm:default-node-token")))));
        expect(
                wrong,
                "a token not for authentication at all",
                false,
                () -> create(token(t -> t.addToData(BootstrapToken.USAGE_AUTHENTICATION_KEY, b64("false")))));
        expect(
                wrong,
                "a token without the managed-by label (passing as an administrator's)",
                false,
                () -> create(token(t -> t.editMetadata()
                        .removeFromLabels(Names.MANAGED_BY_LABEL)
                        .endMetadata())));
        expect(
                wrong,
                "a token under a name no bootstrap token can have",
                false,
                () -> create(token(t ->
                        t.editMetadata().withName("bootstrap-token-abc1234").endMetadata())));

        // A stolen provisioner token taking over a node name, or writing anything else in kube-system.
        expect(
                wrong,
                "a node-password Secret for a node that is not a maroon node (a worker's name)",
                false,
                () -> create(new SecretBuilder(password)
                        .editMetadata()
                        .withName("worker-1.node-password.k3s")
                        .endMetadata()
                        .build()));
        expect(
                wrong,
                "a node-password Secret holding something besides the hash",
                false,
                () -> create(new SecretBuilder(password)
                        .editMetadata()
                        .withName(otherPasswordSecret())
                        .endMetadata()
                        .addToData("extra", b64("x"))
                        .build()));
        expect(
                wrong,
                "a node-password Secret whose hash is not a k3s hash (k3s would fail to verify any password)",
                false,
                () -> create(new SecretBuilder(password)
                        .editMetadata()
                        .withName(otherPasswordSecret())
                        .endMetadata()
                        .withData(java.util.Map.of("hash", b64("plaintext")))
                        .build()));
        expect(
                wrong,
                "any other Secret in kube-system (k3s's serving certificate)",
                false,
                () -> create(new SecretBuilder()
                        .withNewMetadata()
                        .withName("k3s-serving")
                        .withNamespace(NS)
                        .endMetadata()
                        .addToData("tls.crt", b64("x"))
                        .build()));

        // What an administrator made stays the administrator's.
        Secret adminToken = JoinSecrets.bootstrapToken(
                BootstrapToken.random(RANDOM), "none", Instant.now().plus(Duration.ofMinutes(10)));
        adminToken.getMetadata().setLabels(null);
        admin.resource(adminToken).create();
        Secret workerPassword = new SecretBuilder(password)
                .editMetadata()
                .withName("worker-1.node-password.k3s")
                .withLabels(null)
                .endMetadata()
                .build();
        admin.resource(workerPassword).create();
        expect(
                wrong,
                "deleting an administrator's bootstrap token (k3s token create)",
                false,
                () -> delete(adminToken.getMetadata().getName()));
        expect(
                wrong,
                "deleting a worker's node-password Secret (freeing its name for a forger)",
                false,
                () -> delete("worker-1.node-password.k3s"));

        // The provisioner's own clean-up.
        expect(
                wrong,
                "deleting the VM's bootstrap token once its node is verified",
                true,
                () -> delete(asMinted.getMetadata().getName()));
        expect(
                wrong,
                "deleting the VM's node-password Secret once its pod is gone",
                true,
                () -> delete(password.getMetadata().getName()));

        assertThat(wrong)
                .as("cases where the real API server decided otherwise")
                .isEmpty();
    }

    @Test
    void aVmsBootstrapTokenAuthenticatesAsABootstrapperAloneAndOnlyUntilItIsDeletedOrExpires(ControlPlane plane) {
        BootstrapToken vmToken = BootstrapToken.random(RANDOM);
        create(JoinSecrets.bootstrapToken(
                        vmToken, "maroon-pool-e2e01", Instant.now().plus(Duration.ofMinutes(10))))
                .ifPresent(refused -> {
                    throw new AssertionError("the provisioner could not mint it: " + refused);
                });
        Kubeconfig vm = plane.bearerIdentity("vm-" + vmToken.id(), vmToken.value());

        JsonNode user = awaitWhoAmI(vm, Optional::isPresent)
                .orElseThrow()
                .path("status")
                .path("userInfo");
        assertThat(user.path("username").asText()).isEqualTo("system:bootstrap:" + vmToken.id());
        List<String> groups = new ArrayList<>();
        user.path("groups").forEach(g -> groups.add(g.asText()));
        assertThat(groups).containsExactlyInAnyOrder("system:bootstrappers", "system:authenticated");

        delete(vmToken.secretName()).ifPresent(refused -> {
            throw new AssertionError("the provisioner could not revoke it: " + refused);
        });
        assertThat(awaitWhoAmI(vm, Optional::isEmpty)).as("deleted: refused").isEmpty();

        BootstrapToken lapsed = BootstrapToken.random(RANDOM);
        create(JoinSecrets.bootstrapToken(
                        lapsed, "maroon-pool-e2e02", Instant.now().minusSeconds(1)))
                .ifPresent(refused -> {
                    throw new AssertionError("the provisioner could not mint it: " + refused);
                });
        Kubeconfig late = plane.bearerIdentity("vm-" + lapsed.id(), lapsed.value());
        sleep(Duration.ofSeconds(3));
        assertThat(whoAmI(late))
                .as("a token past its expiration (a deletion missed) authenticates nobody")
                .isEmpty();
    }

    /** The request's refusal (the API server's message), or empty when it was allowed. */
    private Optional<String> create(Secret secret) {
        return attempt(() -> provisioner.resource(secret).create());
    }

    private Optional<String> delete(String name) {
        return attempt(
                () -> provisioner.secrets().inNamespace(NS).withName(name).delete());
    }

    private static Optional<String> attempt(Runnable request) {
        try {
            request.run();
            return Optional.empty();
        } catch (KubernetesClientException e) {
            return Optional.of(e.getCode() + " " + e.getMessage());
        }
    }

    private static void expect(
            List<String> wrong, String attack, boolean allowed, java.util.function.Supplier<Optional<String>> request) {
        Optional<String> refused = request.get();
        if (refused.isPresent() == allowed) {
            wrong.add(attack + ": expected " + (allowed ? "allowed" : "denied") + ", was "
                    + refused.map(r -> "denied: " + r).orElse("allowed"));
        }
    }

    /** A bootstrap token as the provisioner mints one, changed by {@code change}, under a fresh id. */
    private static Secret token(UnaryOperator<SecretBuilder> change) {
        Secret minted = JoinSecrets.bootstrapToken(
                BootstrapToken.random(RANDOM),
                "maroon-pool-e2e00",
                Instant.now().plus(Duration.ofMinutes(10)));
        return change.apply(new SecretBuilder(minted)).build();
    }

    /** The node-password Secret name of another maroon node. */
    private static String otherPasswordSecret() {
        return Names.k3sNodePasswordSecret(Names.nodeName(UUID.randomUUID().toString()));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The SelfSubjectReview of this identity, or empty when the API server refuses it (401). */
    private static Optional<JsonNode> whoAmI(Kubeconfig identity) {
        try {
            return Optional.of(JSON.readTree(Kubectl.run(identity, "auth", "whoami", "-o", "json")));
        } catch (IllegalStateException e) {
            if (e.getMessage().contains("Unauthorized") || e.getMessage().contains("must be logged in")) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The authenticator reads tokens through an informer: a change shows within moments, not at once. */
    private static Optional<JsonNode> awaitWhoAmI(Kubeconfig identity, Function<Optional<JsonNode>, Boolean> done) {
        Instant deadline = Instant.now().plusSeconds(30);
        Optional<JsonNode> seen = whoAmI(identity);
        while (!done.apply(seen) && Instant.now().isBefore(deadline)) {
            sleep(Duration.ofMillis(250));
            seen = whoAmI(identity);
        }
        return seen;
    }
}
