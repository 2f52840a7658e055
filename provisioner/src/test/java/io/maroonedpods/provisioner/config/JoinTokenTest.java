package io.maroonedpods.provisioner.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec;
import org.junit.jupiter.api.Test;

/** The join token as the provisioner reads it for the VMs it creates: from its Secret, briefly reused, never shown. */
@EnableKubernetesMockClient(crud = true)
class JoinTokenTest {
    static final String NAMESPACE = EffectiveConfig.DEFAULT_SYSTEM_NAMESPACE;
    KubernetesClient client;

    void secret(String name, String token) {
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName(name)
                .endMetadata().addToStringData("token", token).build()).createOr(op -> op.update());
    }

    static EffectiveConfig readingFrom(String secretName) {
        return EffectiveConfig.of(Serialization.unmarshal("{\"join\":{\"tokenSecretRef\":{\"namespace\":\"" + NAMESPACE
                + "\",\"name\":\"" + secretName + "\",\"key\":\"token\"}}}", MaroonedPodsConfigSpec.class));
    }

    @Test
    void aTokenJustReadIsReusedForTheNextVm() {
        ConfigSource source = new ConfigSource(client, "maroonedpods-vms");
        secret("maroonedpods-join-token", "K10first::server:secret");
        assertThat(source.joinToken(EffectiveConfig.defaults()).token()).isEqualTo("K10first::server:secret");

        secret("maroonedpods-join-token", "K10second::server:secret");

        // Within TOKEN_REUSED_FOR the Secret is not read again; a new ConfigSource (a restart) reads the new token.
        assertThat(source.joinToken(EffectiveConfig.defaults()).token()).isEqualTo("K10first::server:secret");
        assertThat(new ConfigSource(client, "maroonedpods-vms").joinToken(EffectiveConfig.defaults()).token())
                .isEqualTo("K10second::server:secret");
    }

    @Test
    void anotherSecretRefIsReadAtOnce() {
        ConfigSource source = new ConfigSource(client, "maroonedpods-vms");
        secret("maroonedpods-join-token", "K10first::server:secret");
        secret("rotated-token", "K10rotated::server:secret");
        source.joinToken(EffectiveConfig.defaults());

        assertThat(source.joinToken(readingFrom("rotated-token")).token()).isEqualTo("K10rotated::server:secret");
    }

    @Test
    void aMissingSecretIsNotRememberedOnceItExists() {
        ConfigSource source = new ConfigSource(client, "maroonedpods-vms");
        ConfigSource.TokenResult missing = source.joinToken(EffectiveConfig.defaults());
        assertThat(missing.ok()).isFalse();
        assertThat(missing.problem()).isEqualTo("join Secret maroonedpods-system/maroonedpods-join-token key token does"
                + " not exist (spec.join.tokenSecretRef)");

        secret("maroonedpods-join-token", "K10first::server:secret");

        ConfigSource.TokenResult found = source.joinToken(EffectiveConfig.defaults());
        assertThat(found.token()).isEqualTo("K10first::server:secret");
        assertThat(found.toString()).doesNotContain("K10first");
    }
}
