package io.maroonedpods.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.api.k3s.BootstrapToken;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.join.JoinCredentials;
import io.maroonedpods.provisioner.join.VmCredentials;
import io.maroonedpods.provisioner.lifecycle.Teardown;
import io.maroonedpods.testcluster.TestCluster;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A boot whose credentials cannot all be written tears its own VMI down, and only that one. */
class VmSecretsTest {
    static final String VM_NS = Names.DEFAULT_VMI_NAMESPACE;
    static final String POD_UID = "0badc0de-0000-4000-8000-000000000002";

    TestCluster cluster;
    KubernetesClient client;
    KubernetesClient noRetries;

    @BeforeEach
    void start() {
        cluster = TestCluster.start(BootstrapToken.NAMESPACE);
        client = cluster.client();
        // fabric8 retries a 500 itself: the injected error must reach the code under test.
        noRetries = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration())
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build();
    }

    @AfterEach
    void stop() {
        noRetries.close();
        cluster.close();
    }

    @Test
    void aFailedWriteTearsDownItsVmiButNotOneCreatedByItsNameSince() {
        String name = Names.nodeName(POD_UID);
        VmCredentials minted = VmCredentials.mint(new SecureRandom());
        VirtualMachineInstance ours = createVmi(name, minted.token().id());
        // Another provisioner tears this VM down and boots the next one by the same name before the write below fails.
        KubeVirt.vmis(client, VM_NS).withName(name).delete();
        VirtualMachineInstance next = createVmi(name, "bbbbbb");
        cluster.failNext("POST", "/api/v1/namespaces/" + VM_NS + "/secrets", 1, 500, "etcd is unhappy");
        VmSecrets secrets = new VmSecrets(noRetries, new JoinCredentials(noRetries), new Teardown(noRetries, VM_NS));

        assertThatThrownBy(() -> secrets.write(
                        name, EffectiveConfig.defaults(), minted, userdata(name), ours, Instant.now(), false))
                .isInstanceOf(KubernetesClientException.class);

        assertThat(KubeVirt.vmis(client, VM_NS).withName(name).get())
                .as("the next VM's VMI")
                .isNotNull()
                .extracting(vmi -> vmi.getMetadata().getUid())
                .isEqualTo(next.getMetadata().getUid());
        assertThat(tokenSecret(minted.token().id()))
                .as("the failed write's token")
                .isNull();
    }

    private VirtualMachineInstance createVmi(String name, String tokenId) {
        VirtualMachineInstance vmi = new VirtualMachineInstance();
        vmi.getMetadata().setName(name);
        vmi.getMetadata().setLabels(Map.of(Names.POD_UID_LABEL, POD_UID));
        vmi.getMetadata().setAnnotations(Map.of(Names.BOOTSTRAP_TOKEN_ID_LABEL, tokenId));
        return KubeVirt.vmis(client, VM_NS).resource(vmi).create();
    }

    private static Secret userdata(String name) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(Names.userdataSecretName(name))
                .withNamespace(VM_NS)
                .endMetadata()
                .addToStringData(Names.USERDATA_KEY, "#cloud-config\n")
                .build();
    }

    private Secret tokenSecret(String id) {
        return client.secrets()
                .inNamespace(BootstrapToken.NAMESPACE)
                .withName(BootstrapToken.secretName(id))
                .get();
    }
}
