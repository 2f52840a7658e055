package io.maroonedpods.provisioner.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec;
import io.maroonedpods.provisioner.join.JoinPin;
import io.maroonedpods.testcluster.TestCluster;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where the CA hash the VMs' tokens are pinned to comes from: the CA the provisioner trusts for the API server (what
 * {@code k3s token create} hashes), or the {@code K10<hash>::} of a Secret the configuration names. No token is read.
 */
class ClusterCaPinTest {
    static final String NAMESPACE = EffectiveConfig.DEFAULT_SYSTEM_NAMESPACE;
    static final String HASH = "660d04d81fbdc628fdf910e8da5777349339aa148650f3fd676f08234975858b";
    TestCluster cluster;
    KubernetesClient client;

    @BeforeEach
    void startCluster() {
        cluster = TestCluster.start(NAMESPACE);
        client = cluster.client();
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    void secret(String name, String value) {
        client.secrets()
                .inNamespace(NAMESPACE)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .addToStringData("token", value)
                        .build())
                .createOr(op -> op.update());
    }

    static EffectiveConfig readingFrom(String secretName) {
        return EffectiveConfig.of(Serialization.unmarshal(
                "{\"join\":{\"tokenSecretRef\":{\"name\":\"" + secretName + "\"}}}", MaroonedPodsConfigSpec.class));
    }

    static byte[] clusterCa() throws IOException {
        try (InputStream in = ClusterCaPinTest.class.getResourceAsStream("/k3s/single-ca.crt")) {
            return in.readAllBytes();
        }
    }

    @Test
    void withoutATokenSecretTheVmsArePinnedToTheCaTheProvisionerTrusts() throws IOException {
        client.getConfiguration().setCaCertData(Base64.getEncoder().encodeToString(clusterCa()));

        JoinPin pin = new ConfigSource(client, "vms").caPin(EffectiveConfig.defaults());

        assertThat(pin.ok()).isTrue();
        assertThat(pin.caHash()).isEqualTo(HASH);
    }

    @Test
    void aClientThatTrustsNoCaOfItsOwnCannotPinAndSaysWhatToDo() {
        client.getConfiguration().setCaCertData(null);
        client.getConfiguration().setCaCertFile(null);

        JoinPin pin = new ConfigSource(client, "vms").caPin(EffectiveConfig.defaults());

        assertThat(pin.reason()).isEqualTo(JoinPin.CA_UNKNOWN);
        assertThat(pin.problem()).contains("certificate-authority", "spec.join.tokenSecretRef");
    }

    @Test
    void aNamedSecretPinsByItsPrefixAloneAndIsReusedBriefly() {
        ConfigSource source = new ConfigSource(client, "vms");
        secret("cluster-ca-pin", "K10" + HASH + "::");
        assertThat(source.caPin(readingFrom("cluster-ca-pin")).caHash()).isEqualTo(HASH);

        secret("cluster-ca-pin", "K10" + "a".repeat(64) + "::node:an-agent-token");

        // Within PIN_REUSED_FOR the Secret is not read again; a new ConfigSource (a restart) reads the new pin.
        assertThat(source.caPin(readingFrom("cluster-ca-pin")).caHash()).isEqualTo(HASH);
        assertThat(new ConfigSource(client, "vms")
                        .caPin(readingFrom("cluster-ca-pin"))
                        .caHash())
                .isEqualTo("a".repeat(64));
    }

    @Test
    void aServerTokenInTheNamedSecretIsRefusedWithoutShowingIt() {
        secret("old-join-token", "K10" + HASH + "::server:the-servers-secret");

        JoinPin pin = new ConfigSource(client, "vms").caPin(readingFrom("old-join-token"));

        assertThat(pin.ok()).isFalse();
        assertThat(pin.reason()).isEqualTo(JoinPin.TOKEN_REFUSED);
        assertThat(pin.problem())
                .contains("Secret maroonedpods-system/old-join-token key token holds the k3s server" + " token")
                .doesNotContain("the-servers-secret");
    }

    @Test
    void aMissingSecretIsNotRememberedOnceItExists() {
        ConfigSource source = new ConfigSource(client, "vms");
        JoinPin missing = source.caPin(readingFrom("cluster-ca-pin"));
        assertThat(missing.reason()).isEqualTo(JoinPin.SECRET_MISSING);
        assertThat(missing.problem())
                .isEqualTo("Secret maroonedpods-system/cluster-ca-pin key token does not exist"
                        + " (spec.join.tokenSecretRef)");

        secret("cluster-ca-pin", "K10" + HASH + "::");

        assertThat(source.caPin(readingFrom("cluster-ca-pin")).caHash()).isEqualTo(HASH);
    }
}
