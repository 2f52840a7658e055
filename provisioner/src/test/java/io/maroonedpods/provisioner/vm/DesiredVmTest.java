package io.maroonedpods.provisioner.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.Userdata;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.join.JoinPin;
import io.maroonedpods.provisioner.join.VmCredentials;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DesiredVmTest {
    static final String UID = "5f1c3a9e-2b7d-4c1e-9a0f-3d2e1b4c5a6f";
    static final Instant NOW = Instant.parse("2026-11-25T07:00:00Z");
    static final String CA_HASH = "660d04d81fbdc628fdf910e8da5777349339aa148650f3fd676f08234975858b";
    static final JoinPin PIN = JoinPin.fromConfiguredToken("K10" + CA_HASH + "::", "test");

    static Pod pod() {
        return new PodBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("team-a")
                .withUid(UID)
                .endMetadata()
                .withNewSpec()
                .withSchedulerName(Names.SCHEDULER_NAME)
                .addNewContainer()
                .withName("app")
                .withNewResources()
                .addToRequests("cpu", new Quantity("2"))
                .endResources()
                .endContainer()
                .endSpec()
                .build();
    }

    static final String KERNEL_ARGS =
            "console=ttyS0 root=UUID=0b7c2a4e-1f2d-4c3b-9a8e-5d6f7a8b9c0d ostree=/ostree/boot.1/default/abc/0";

    static EffectiveConfig config(Boolean kernelBoot, String binding) {
        return EffectiveConfig.of(new MaroonedPodsConfigSpec(
                "registry.example/node:1",
                kernelBoot,
                new MaroonedPodsConfigSpec.KernelBootConfig(null, null, KERNEL_ARGS),
                null,
                null,
                null,
                null,
                null,
                "vms",
                binding,
                null,
                null,
                null,
                null));
    }

    @Test
    void theVmiIsNamedLabelledSizedAndBootsTheNodeImageWithCloudInit() {
        VirtualMachineInstance vmi = DesiredVm.vmi(pod(), config(null, null), "uuid-1", NOW, 1);

        assertThat(vmi.getMetadata().getName()).isEqualTo("maroon-" + UID);
        assertThat(vmi.getMetadata().getNamespace()).isEqualTo("vms");
        assertThat(vmi.getMetadata().getLabels())
                .containsEntry(Names.POD_UID_LABEL, UID)
                .containsEntry(Names.POD_NAMESPACE_LABEL, "team-a")
                .containsEntry(Names.POD_NAME_LABEL, "web")
                .containsEntry(Names.MANAGED_BY_LABEL, Names.MANAGED_BY_VALUE);
        assertThat(vmi.getMetadata().getAnnotations())
                .containsEntry(Names.BOOT_STARTED_ANNOTATION, NOW.toString())
                .containsEntry(Names.BOOT_ATTEMPTS_ANNOTATION, "1");
        assertThat(vmi.getSpec().hostname).isEqualTo("maroon-" + UID);
        assertThat(vmi.getSpec().domain.cpu.cores).isEqualTo(3);
        assertThat(vmi.getSpec().domain.memory.guest).isEqualTo(new Quantity("1024Mi"));
        assertThat(vmi.getSpec().domain.firmware.uuid).isEqualTo("uuid-1");
        assertThat(vmi.getSpec().domain.firmware.kernelBoot).isNull();
        assertThat(vmi.getSpec().domain.devices.interfaces).singleElement().satisfies(i -> {
            assertThat(i.bridge).isNotNull();
            assertThat(i.masquerade).isNull();
        });
        assertThat(vmi.getSpec().networks)
                .singleElement()
                .satisfies(n -> assertThat(n.pod).isNotNull());
        assertThat(vmi.getSpec().volumes.get(0).containerDisk.image).isEqualTo("registry.example/node:1");
        assertThat(vmi.getSpec().volumes.get(1).cloudInitNoCloud.secretRef.getName())
                .isEqualTo("maroon-" + UID + "-userdata");
    }

    @Test
    void kernelBootAndTheNetworkBindingFollowTheConfiguration() {
        VirtualMachineInstance passt = DesiredVm.vmi(pod(), config(true, "passt"), "u", NOW, 1);
        assertThat(passt.getSpec().domain.firmware.kernelBoot.container.image).isEqualTo("registry.example/node:1");
        assertThat(passt.getSpec().domain.firmware.kernelBoot.container.kernelPath)
                .isEqualTo("/boot/vmlinuz");
        assertThat(passt.getSpec().domain.firmware.kernelBoot.kernelArgs).isEqualTo(KERNEL_ARGS);
        assertThat(passt.getSpec().domain.devices.interfaces.get(0).binding.name)
                .isEqualTo("passt");
    }

    @Test
    void theUserdataSecretCarriesOnlyTheVmsOwnCredentialsAndTheVmiNeitherOfThem() {
        VmCredentials credentials = VmCredentials.mint(new SecureRandom());
        Secret secret = DesiredVm.userdataSecret(pod(), config(null, null), credentials, PIN);
        String userdata = new String(
                Base64.getDecoder().decode(secret.getData().get(Names.USERDATA_KEY)), StandardCharsets.UTF_8);

        JoinInfo join = JoinInfo.parse(Userdata.joinInfoFile(userdata));
        assertThat(join)
                .isEqualTo(new JoinInfo(
                        EffectiveConfig.DEFAULT_SERVER_URL,
                        "K10" + CA_HASH + "::" + credentials.token().value(),
                        UID,
                        "maroonedpods.io",
                        "maroon-" + UID,
                        credentials.nodePassword()));
        assertThat(secret.getMetadata().getName()).isEqualTo("maroon-" + UID + "-userdata");
        assertThat(secret.getMetadata().getNamespace()).isEqualTo("vms");
        assertThat(secret.getMetadata().getLabels())
                .as("teardown finds the token by it")
                .containsEntry(
                        Names.BOOTSTRAP_TOKEN_ID_LABEL, credentials.token().id());
        VirtualMachineInstance vmi = DesiredVm.withBootstrapTokenId(
                DesiredVm.vmi(pod(), config(null, null), "u", NOW, 1),
                credentials.token().id());
        assertThat(vmi.getMetadata().getAnnotations())
                .containsEntry(
                        Names.BOOTSTRAP_TOKEN_ID_LABEL, credentials.token().id());
        assertThat(Serialization.asJson(vmi)).doesNotContain(credentials.token().secret(), credentials.nodePassword());
    }

    @Test
    void aLongPodNameIsCutInTheLabelButKeptWholeInTheAnnotation() {
        String longName = "a".repeat(70) + "-b";
        Pod pod = new PodBuilder(pod())
                .editMetadata()
                .withName(longName)
                .endMetadata()
                .build();

        VirtualMachineInstance vmi = DesiredVm.vmi(pod, config(null, null), "u", NOW, 1);

        assertThat(vmi.getMetadata().getLabels().get(Names.POD_NAME_LABEL)).hasSize(63);
        assertThat(DesiredVm.podName(vmi)).isEqualTo(longName);
    }
}
