package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.k3s.BootstrapToken;
import io.maroonedpods.api.k3s.K3sToken;
import io.maroonedpods.api.k3s.NodePasswordHash;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.join.JoinSecrets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The attacks on the join credential, each a test: a VM's token is its own, short-lived and gone once used, and the
 * name of a pod's node can be registered by that pod's VM alone (k3s's node password, set before the VM boots).
 */
class JoinCredentialTest extends FlowCluster {

    @Test
    void eachVmJoinsWithABootstrapTokenOfItsOwnThatExpiresAtTheBootTimeout() {
        configure(spec(null, 120, null));
        startProvisioner();
        Pod pod = createPod("web");
        VirtualMachineInstance vmi = awaitRunningVmi(pod);

        JoinInfo join = agent.joinInfo(pod.getMetadata().getUid());
        BootstrapToken token = K3sToken.parse(join.token()).bootstrap();
        Secret secret = bootstrapSecret(token.id());
        assertThat(secret.getType()).isEqualTo(BootstrapToken.SECRET_TYPE);
        assertThat(secret.getMetadata().getLabels()).containsEntry(Names.MANAGED_BY_LABEL, Names.MANAGED_BY_VALUE);
        assertThat(decoded(secret, BootstrapToken.TOKEN_SECRET_KEY)).isEqualTo(token.secret());
        assertThat(decoded(secret, BootstrapToken.USAGE_AUTHENTICATION_KEY)).isEqualTo("true");
        assertThat(secret.getData())
                .as("authentication only, no extra groups")
                .doesNotContainKeys("usage-bootstrap-signing", BootstrapToken.EXTRA_GROUPS_KEY);
        Instant bootStarted = Instant.parse(vmi.getMetadata().getAnnotations().get(Names.BOOT_STARTED_ANNOTATION));
        assertThat(Instant.parse(decoded(secret, BootstrapToken.EXPIRATION_KEY)))
                .isEqualTo(bootStarted.plusSeconds(120).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(join.token()).doesNotContain(CLUSTER_TOKEN.substring(CLUSTER_TOKEN.lastIndexOf(':') + 1));
    }

    @Test
    void theBootstrapTokenIsGoneBeforeTheNodeMayTakeAnyPodAndJoinsNothingAfterwards() {
        startProvisioner();
        Pod pod = createPod("web");
        awaitRunningVmi(pod);
        JoinInfo join = agent.joinInfo(pod.getMetadata().getUid());
        String id = K3sToken.parse(join.token()).bootstrap().id();

        agent.register(pod.getMetadata().getUid());

        await().atMost(PATIENCE)
                .until(() -> node(pod).getMetadata().getLabels().containsKey(Names.VERIFIED_POD_UID_LABEL));
        assertThat(bootstrapSecret(id))
                .as("deleted before the restricted label was set")
                .isNull();
        JoinInfo intruder = new JoinInfo(
                join.serverUrl(), join.token(), "", join.taintKey(), "maroon-pool-intruder1", join.nodePassword());
        assertThatThrownBy(() -> agent.register(intruder, "10.42.0.99", "x"))
                .isInstanceOf(Guests.Refused.class)
                .hasMessageContaining("no bootstrap token with id " + id);
    }

    @Test
    void aBootThatTimesOutOrAPodDeletedWhileItsVmBootsLeavesNoCredentialBehind() {
        configure(spec(3, 30, null));
        startProvisioner();
        Pod timedOut = createPod("slow");
        awaitRunningVmi(timedOut);
        String slowId = tokenId(timedOut);
        Pod deleted = createPod("gone");
        awaitRunningVmi(deleted);
        String goneId = tokenId(deleted);

        clock.advance(Duration.ofSeconds(31));
        touch(timedOut);
        client.pods().resource(deleted).delete();

        await().atMost(PATIENCE).until(() -> reasons(timedOut).contains("BootFailed") && vmi(deleted) == null);
        await().atMost(PATIENCE).until(() -> bootstrapSecret(slowId) == null && bootstrapSecret(goneId) == null);
        assertThat(passwordSecret(Names.nodeName(deleted.getMetadata().getUid())))
                .isNull();
    }

    /**
     * Boots stopped half-way by API errors (the token and the userdata Secret made, the VMI refused): each retry mints
     * a new token, and none of the earlier ones may stay live.
     */
    @Test
    void bootsStoppedBeforeTheirVmiExistedLeaveNoTokenBehind() {
        cluster.failNext(
                "POST",
                "/apis/kubevirt.io/v1/namespaces/" + VM_NS + "/virtualmachineinstances",
                2,
                500,
                "etcd is unhappy");
        startProvisionerWithoutClientRetries();
        Pod pod = createPod("web");
        awaitRunningVmi(pod);

        assertThat(bootstrapTokens())
                .as("the running VM's token alone")
                .containsExactly(BootstrapToken.secretName(tokenId(pod)));
        agent.register(pod.getMetadata().getUid());
        await().atMost(PATIENCE).until(() -> reasons(pod).contains("NodeVerified"));
        assertThat(bootstrapTokens()).isEmpty();
    }

    /**
     * A leader that stopped between minting a VM's token and creating its VMI leaves the userdata Secret naming that
     * token: the next leader revokes it before the Secret names a token of its own.
     */
    @Test
    void aTokenLeftByALeaderThatStoppedBeforeTheVmiIsRevokedByTheNext() {
        Pod pod = createPod("web");
        String name = Names.nodeName(pod.getMetadata().getUid());
        BootstrapToken left = BootstrapToken.random(new java.security.SecureRandom());
        client.resource(JoinSecrets.bootstrapToken(left, name, Instant.now().plusSeconds(600)))
                .create();
        client.resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                        .withNewMetadata()
                        .withName(Names.userdataSecretName(name))
                        .withNamespace(VM_NS)
                        .addToLabels(Names.BOOTSTRAP_TOKEN_ID_LABEL, left.id())
                        .endMetadata()
                        .addToData(Names.USERDATA_KEY, base64("#cloud-config\n"))
                        .build())
                .create();

        startProvisioner();
        awaitRunningVmi(pod);

        assertThat(bootstrapSecret(left.id())).as("the stopped leader's token").isNull();
        assertThat(bootstrapTokens()).containsExactly(BootstrapToken.secretName(tokenId(pod)));
    }

    /**
     * A teardown that cannot read which token its VM had (an API error on the userdata Secret) keeps the Secret and
     * the VMI, the only records of the token's id, and revokes the token on its next try.
     */
    @Test
    void aTeardownThatCannotReadItsVmsTokenIdRevokesTheTokenOnTheNextTry() {
        configure(spec(3, 30, null));
        startProvisionerWithoutClientRetries();
        Pod pod = createPod("slow");
        awaitRunningVmi(pod);
        String id = tokenId(pod);
        cluster.failNext(
                "GET",
                "/api/v1/namespaces/" + VM_NS + "/secrets/"
                        + Names.userdataSecretName(
                                Names.nodeName(pod.getMetadata().getUid())),
                1,
                500,
                "etcd is unhappy");

        clock.advance(Duration.ofSeconds(31));
        touch(pod);

        await().atMost(PATIENCE).until(() -> reasons(pod).contains("BootFailed"));
        await().atMost(PATIENCE).until(() -> bootstrapSecret(id) == null);
    }

    @Test
    void theNodeNameIsBoundToItsVmsPasswordBeforeTheVmBoots() {
        startProvisioner();
        Pod pod = createPod("web");
        awaitRunningVmi(pod);

        Secret password = passwordSecret(Names.nodeName(pod.getMetadata().getUid()));
        assertThat(password.getType()).isEqualTo("Opaque");
        assertThat(password.getImmutable()).isTrue();
        assertThat(NodePasswordHash.matches(
                        decoded(password, "hash"),
                        agent.joinInfo(pod.getMetadata().getUid()).nodePassword()))
                .isTrue();
    }

    @Test
    void aForgedRegistrationOfAPodsNodeNameWithoutItsVmsPasswordIsRefusedBeforeAnyNodeExists() {
        startProvisioner();
        Pod victim = createPod("victim");
        VirtualMachineInstance vmi = awaitRunningVmi(victim);
        Pod other = createPod("other");
        awaitRunningVmi(other);
        String uid = victim.getMetadata().getUid();
        // A live token (the other VM's, still booting) and the victim's node name, without the victim's password.
        JoinInfo stolenToken = agent.joinInfo(other.getMetadata().getUid());
        JoinInfo forged = new JoinInfo(
                stolenToken.serverUrl(),
                stolenToken.token(),
                uid,
                stolenToken.taintKey(),
                Names.nodeName(uid),
                stolenToken.nodePassword());

        assertThatThrownBy(() -> agent.register(
                        forged, vmi.getStatus().allIpAddresses().get(0), vmi.getSpec().domain.firmware.uuid))
                .isInstanceOf(Guests.Refused.class)
                .hasMessageContaining("Node password rejected");

        assertThat(node(victim)).as("no Node exists").isNull();
        agent.register(uid);
        await().atMost(PATIENCE).until(() -> reasons(victim).contains("NodeVerified"));
    }

    private String tokenId(Pod pod) {
        return K3sToken.parse(agent.joinInfo(pod.getMetadata().getUid()).token())
                .bootstrap()
                .id();
    }

    static String decoded(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}
