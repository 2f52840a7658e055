package io.maroonedpods.testcluster.node;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What KubeVirt hands the guest: the cloud-init user data from the VMI's Secret, its firmware UUID, its size, the
 * addresses its NICs got.
 */
final class CloudInit {
    private CloudInit() {}

    record Size(String cpu, String memory) {}

    /** KubeVirt's {@code cloudInitNoCloud.secretRef} (or the config-drive one) of the VMI's volumes. */
    static Optional<String> userdataSecretName(GenericKubernetesResource vmi) {
        List<Map<String, Object>> volumes = vmi.get("spec", "volumes");
        if (volumes == null) {
            return Optional.empty();
        }
        for (Map<String, Object> volume : volumes) {
            for (String source : List.of("cloudInitNoCloud", "cloudInitConfigDrive")) {
                if (volume.get(source) instanceof Map<?, ?> cloudInit
                        && cloudInit.get("secretRef") instanceof Map<?, ?> ref
                        && ref.get("name") instanceof String name) {
                    return Optional.of(name);
                }
            }
        }
        return Optional.empty();
    }

    /** The user data as KubeVirt reads it from the Secret: key {@code userdata}, or {@code userData}. */
    static String userdata(Secret secret) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        String encoded = data.getOrDefault("userdata", data.get("userData"));
        if (encoded == null) {
            Map<String, String> plain = secret.getStringData() == null ? Map.of() : secret.getStringData();
            String text = plain.getOrDefault("userdata", plain.get("userData"));
            if (text == null) {
                throw new IllegalArgumentException("the Secret has no userdata key");
            }
            return text;
        }
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    /** {@code spec.domain.firmware.uuid}: the guest's SMBIOS UUID, which its kubelet reports as systemUUID. */
    static String firmwareUuid(GenericKubernetesResource vmi) {
        Object uuid = vmi.get("spec", "domain", "firmware", "uuid");
        return uuid instanceof String text && !text.isEmpty()
                ? text
                : vmi.getMetadata().getUid();
    }

    static Size size(GenericKubernetesResource vmi) {
        Object cores = vmi.get("spec", "domain", "cpu", "cores");
        Object memory = vmi.get("spec", "domain", "memory", "guest");
        if (memory == null) {
            memory = vmi.get("spec", "domain", "resources", "requests", "memory");
        }
        return new Size(cores == null ? "1" : cores.toString(), memory == null ? "1Gi" : memory.toString());
    }

    /** The address of the guest's NIC with this MAC, as the VMI's status reports it (the guest agent's view). */
    static Optional<String> addressOfNic(GenericKubernetesResource vmi, String mac) {
        Object interfaces = vmi.get("status", "interfaces");
        if (!(interfaces instanceof List<?> list)) {
            return Optional.empty();
        }
        return list.stream()
                .filter(i -> i instanceof Map<?, ?> m && mac.equals(m.get("mac")))
                .map(i -> ((Map<?, ?>) i).get("ipAddress"))
                .filter(String.class::isInstance)
                .map(String.class::cast)
                .findFirst();
    }
}
