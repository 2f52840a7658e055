package io.maroonedpods.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.maroonedpods.api.config.MaroonedPodsConfigSpec.BaseVmResources;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec.JoinConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec.ResourceOverhead;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class EffectiveConfigTest {
    @Test
    void anAbsentConfigMeansTheDocumentedDefaults() {
        EffectiveConfig c = EffectiveConfig.defaults();
        assertThat(c.baseCpu()).isEqualTo(1);
        assertThat(c.baseMemoryMi()).isEqualTo(1024);
        assertThat(c.overheadCpuCores()).isEqualByComparingTo(new BigDecimal("0.5"));
        assertThat(c.overheadMemoryBytes()).isEqualTo(512L * 1024 * 1024);
        assertThat(c.vmNamespace()).isEqualTo("maroonedpods-nodes");
        assertThat(c.networkBinding()).isEqualTo("bridge");
        assertThat(c.bootTimeoutSeconds()).isEqualTo(300);
        assertThat(c.maxBootAttempts()).isEqualTo(3);
        assertThat(c.warmPoolSize()).isZero();
        assertThat(c.dedicatedTaintKey()).isEqualTo("maroonedpods.io/dedicated");
        assertThat(c.tokenSecretRef())
                .as("no Secret is read unless one is named")
                .isNull();
        assertThat(c.enableKernelBoot()).isFalse();
        assertThat(c.nodeImage()).isEqualTo("quay.io/maroonedpods/marooned-node-disk:0.1.0");
    }

    @Test
    void everyInvalidFieldIsNamed() {
        MaroonedPodsConfigSpec spec = new MaroonedPodsConfigSpec(
                "img",
                null,
                null,
                new BaseVmResources(0, 100),
                new ResourceOverhead("lots", "-1Mi"),
                -1,
                "Bad Key",
                new JoinConfig("http://x", null),
                "NS",
                "slirp",
                1,
                0,
                0,
                null);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> EffectiveConfig.of(spec));
        assertThat(e.problems())
                .containsExactly(
                        "spec.baseVMResources.cpu: must be >= 1, got 0",
                        "spec.baseVMResources.memoryMi: must be >= 512, got 100",
                        "spec.resourceOverhead.cpu: must be a Kubernetes quantity such as 500m or 512Mi, got 'lots'",
                        "spec.resourceOverhead.memory: must not be negative, got '-1Mi'",
                        "spec.warmPoolSize: must be >= 0, got -1",
                        "spec.nodeTaintKey: must be a DNS subdomain such as maroonedpods.io, got 'Bad Key'",
                        "spec.join.serverURL: must be an https:// URL with a host, got 'http://x'",
                        "spec.vmNamespace: must be a namespace name, got 'NS'",
                        "spec.networkBinding: must be one of bridge, passt, got 'slirp'",
                        "spec.bootTimeoutSeconds: must be >= 10, got 1",
                        "spec.maxBootAttempts: must be >= 1, got 0",
                        "spec.maxConcurrentBoots: must be >= 1, got 0");
    }

    @Test
    void aGivenTokenSecretRefGetsTheDefaultsOfItsUnsetFields() {
        MaroonedPodsConfigSpec spec = new MaroonedPodsConfigSpec(
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new JoinConfig(null, new MaroonedPodsConfigSpec.SecretKeyRef(null, "cluster-ca-pin", null)),
                null,
                null,
                null,
                null,
                null,
                null);
        assertThat(EffectiveConfig.of(spec).tokenSecretRef())
                .isEqualTo(new MaroonedPodsConfigSpec.SecretKeyRef("maroonedpods-system", "cluster-ca-pin", "token"));
    }

    @Test
    void kernelBootNeedsTheDisksRootAndTheDeploymentsOstreeArguments() {
        MaroonedPodsConfigSpec spec = new MaroonedPodsConfigSpec(
                null,
                true,
                new MaroonedPodsConfigSpec.KernelBootConfig(null, null, "console=ttyS0"),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> EffectiveConfig.of(spec));
        assertThat(e.problems())
                .containsExactly(
                        "spec.kernelBootConfig.kernelArgs: must include the node image's"
                                + " root= and ostree= arguments (published in the image at /boot/kernel-args), got 'console=ttyS0'");
        MaroonedPodsConfigSpec noRoot = new MaroonedPodsConfigSpec(
                null,
                true,
                new MaroonedPodsConfigSpec.KernelBootConfig(
                        null, null, "console=ttyS0 ostree=/ostree/boot.1/default/abc/0"),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        assertThat(assertThrows(InvalidConfigException.class, () -> EffectiveConfig.of(noRoot))
                        .problems())
                .singleElement()
                .asString()
                .contains("root= and ostree=");

        MaroonedPodsConfigSpec good = new MaroonedPodsConfigSpec(
                null,
                true,
                new MaroonedPodsConfigSpec.KernelBootConfig(
                        null,
                        null,
                        "console=ttyS0 root=UUID=0b7c2a4e-1f2d-4c3b-9a8e-5d6f7a8b9c0d ostree=/ostree/boot.1/default/abc/0"),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        assertThat(EffectiveConfig.of(good).kernelBootConfig().kernelPath()).isEqualTo("/boot/vmlinuz");
    }

    @Test
    void masqueradeIsRefusedBecauseItsNodesCanNeverBeVerified() {
        InvalidConfigException e =
                assertThrows(InvalidConfigException.class, () -> EffectiveConfig.of(binding("masquerade")));

        assertThat(e.problems())
                .containsExactly("spec.networkBinding: masquerade cannot work: every guest is 10.0.2.2"
                        + " behind NAT and registers that as its node address while the VMI reports the pod IP, so no node is"
                        + " ever verified; use bridge or passt");
        assertThat(EffectiveConfig.of(binding("passt")).networkBinding()).isEqualTo("passt");
    }

    @Test
    void kernelBootRefusesANodeImageThatNamesNoOneBuild() {
        for (String moving : List.of(
                "registry.example/node-disk:latest", "registry.example/node-disk", "registry.example:5000/node-disk")) {
            InvalidConfigException e =
                    assertThrows(InvalidConfigException.class, () -> EffectiveConfig.of(kernelBoot(moving)), moving);
            assertThat(e.problems())
                    .containsExactly("spec.nodeImage: must name one build (a version tag or a digest,"
                            + " not latest or no tag) when enableKernelBoot is true, since kernelArgs belong to one disk"
                            + " build, got '" + moving + "'");
        }
        for (String fixed : List.of(
                "registry.example:5000/node-disk:0.1.0",
                "registry.example/node-disk@sha256:" + "a".repeat(64),
                "node-disk:latest@sha256:" + "b".repeat(64))) {
            assertThat(EffectiveConfig.of(kernelBoot(fixed)).nodeImage()).isEqualTo(fixed);
        }
    }

    @Test
    void withoutKernelBootAMovingTagIsAllowed() {
        MaroonedPodsConfigSpec spec = new MaroonedPodsConfigSpec(
                "registry.example/node-disk:latest",
                false,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);

        assertThat(EffectiveConfig.of(spec).nodeImage()).isEqualTo("registry.example/node-disk:latest");
    }

    private static MaroonedPodsConfigSpec binding(String binding) {
        return new MaroonedPodsConfigSpec(
                null, null, null, null, null, null, null, null, null, binding, null, null, null, null);
    }

    private static MaroonedPodsConfigSpec kernelBoot(String nodeImage) {
        return new MaroonedPodsConfigSpec(
                nodeImage,
                true,
                new MaroonedPodsConfigSpec.KernelBootConfig(
                        null,
                        null,
                        "console=ttyS0 root=UUID=0b7c2a4e-1f2d-4c3b-9a8e-5d6f7a8b9c0d ostree=/ostree/boot.1/default/abc/0"),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }
}
