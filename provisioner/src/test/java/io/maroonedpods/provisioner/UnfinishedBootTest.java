package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.api.k3s.BootstrapToken;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.join.JoinSecrets;
import io.maroonedpods.provisioner.vm.DesiredVm;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A boot the leader before us left half-done: its VMI and its token exist, its userdata Secret does not. That leader
 * may still be writing it (its last reconciles run on after it lost the lease), or it stopped. The VM is never booted
 * twice: the one who made the token is given time to write the rest, and after that its token is replaced.
 */
class UnfinishedBootTest extends FlowCluster {
    private static final String USER_AGENT = "unfinished-boot-test";

    /** What the leader before us left: the pod, its VMI as created, and its token's Secret. */
    private record HalfBoot(Pod pod, BootstrapToken token, VirtualMachineInstance vmi, Secret tokenSecret) {}

    /**
     * A pod whose VMI and token the leader before us wrote a moment ago, and the next leader started: it has tried to
     * create the VM's token, and was told it exists.
     */
    private HalfBoot halfBootSeenByTheNextLeader() {
        Pod pod = createPod("web");
        BootstrapToken token = BootstrapToken.random(new SecureRandom());
        VirtualMachineInstance vmi = DesiredVm.withBootstrapTokenId(
                DesiredVm.vmi(pod, EffectiveConfig.of(null), UUID.randomUUID().toString(), clock.instant(), 1),
                token.id());
        VirtualMachineInstance created =
                KubeVirt.vmis(client, VM_NS).resource(vmi).create();
        client.resource(JoinSecrets.bootstrapToken(
                        token,
                        Names.nodeName(pod.getMetadata().getUid()),
                        clock.instant().plusSeconds(600)))
                .create();
        HalfBoot left = new HalfBoot(pod, token, created, bootstrapSecret(token.id()));
        startNextLeader();
        awaitItsTokenAttempt();
        return left;
    }

    private void startNextLeader() {
        KubernetesClient own = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration())
                        .withUserAgent(USER_AGENT)
                        .build())
                .build();
        toClose.add(own);
        startProvisioner(testConfig(), own);
    }

    private void awaitItsTokenAttempt() {
        await().atMost(PATIENCE)
                .until(() -> cluster.requestsFrom(USER_AGENT).stream()
                        .anyMatch(r -> "POST".equals(r.method())
                                && r.path().startsWith("/api/v1/namespaces/" + BootstrapToken.NAMESPACE + "/secrets")));
    }

    private Secret userdata(Pod pod) {
        return client.secrets()
                .inNamespace(VM_NS)
                .withName(Names.userdataSecretName(
                        Names.nodeName(pod.getMetadata().getUid())))
                .get();
    }

    @Test
    void aBootWhoseMakerIsStillWritingIsLeftToIt() {
        HalfBoot left = halfBootSeenByTheNextLeader();

        assertThat(userdata(left.pod()))
                .as("nothing written over the maker's boot")
                .isNull();
        assertThat(bootstrapSecret(left.token().id()).getData())
                .isEqualTo(left.tokenSecret().getData());
        assertThat(vmi(left.pod()).getMetadata().getUid())
                .as("the VM is not torn down")
                .isEqualTo(left.vmi().getMetadata().getUid());
    }

    @Test
    void aBootWhoseMakerStoppedIsFinishedUnderANewTokenOnceItsMakerHadItsTime() {
        HalfBoot left = halfBootSeenByTheNextLeader();
        Pod pod = left.pod();

        clock.advance(Duration.ofSeconds(11));
        touch(pod);

        await().atMost(PATIENCE).until(() -> userdata(pod) != null);
        assertThat(bootstrapSecret(left.token().id()).getData())
                .as("the token replaced by one whose secret the new userdata holds")
                .isNotEqualTo(left.tokenSecret().getData());
        VirtualMachineInstance running = awaitRunningVmi(pod);
        assertThat(running.getMetadata().getUid())
                .as("the same VM")
                .isEqualTo(left.vmi().getMetadata().getUid());
        agent.register(pod.getMetadata().getUid());
        await().atMost(PATIENCE).until(() -> reasons(pod).contains("NodeVerified"));
        assertThat(bootstrapTokens())
                .as("its token revoked once its node was verified")
                .isEmpty();
    }
}
