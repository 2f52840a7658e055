package io.maroonedpods.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class OptInAndNamesTest {
    @Test
    void aPodNamingTheMaroonSchedulerOptsIn() {
        Pod pod = new PodBuilder()
                .withNewSpec()
                .withSchedulerName("maroon-scheduler")
                .endSpec()
                .build();
        assertThat(OptIn.isMaroon(pod)).isTrue();
    }

    @Test
    void aPodNamingTheConfiguredSchedulerOptsInAndSoDoesOneNamingTheDefault() {
        Pod custom = new PodBuilder()
                .withNewSpec()
                .withSchedulerName("vm-scheduler")
                .endSpec()
                .build();
        assertThat(OptIn.isMaroon(custom, "vm-scheduler")).isTrue();
        assertThat(OptIn.isMaroon(custom)).isFalse();
        Pod byDefault = new PodBuilder()
                .withNewSpec()
                .withSchedulerName("maroon-scheduler")
                .endSpec()
                .build();
        assertThat(OptIn.isMaroon(byDefault, "vm-scheduler")).isTrue();
    }

    @Test
    void aPodWithTheOptInLabelOptsIn() {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .addToLabels("maroonedpods.io/maroon", "true")
                .endMetadata()
                .build();
        assertThat(OptIn.isMaroon(pod)).isTrue();
    }

    @Test
    void anOrdinaryPodDoesNotOptIn() {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .addToLabels("maroonedpods.io/maroon", "false")
                .endMetadata()
                .withNewSpec()
                .withSchedulerName("default-scheduler")
                .endSpec()
                .build();
        assertThat(OptIn.isMaroon(pod)).isFalse();
        assertThat(OptIn.isMaroon(new Pod())).isFalse();
        assertThat(OptIn.isMaroon(null)).isFalse();
    }

    @Test
    void nodeNamesAreDeterministicAndFitADnsLabel() {
        String uid = "0a1b2c3d-4e5f-6789-abcd-ef0123456789";
        assertThat(Names.nodeName(uid)).isEqualTo("maroon-" + uid).hasSize(43);
        assertThat(Names.userdataSecretName(Names.nodeName(uid))).isEqualTo("maroon-" + uid + "-userdata");
        assertThat(Names.k3sNodePasswordSecret("maroon-x")).isEqualTo("maroon-x.node-password.k3s");
        assertThat(Names.isPodUid(uid)).isTrue();
        assertThat(Names.isPodUid("0A1B2C3D-4E5F-6789-ABCD-EF0123456789")).isFalse();
    }
}
