package io.maroonedpods.provisioner.pool;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.join.JoinPin;
import io.maroonedpods.provisioner.join.VmCredentials;
import io.maroonedpods.provisioner.vm.DesiredVm;
import io.maroonedpods.provisioner.vm.Sizing;
import io.maroonedpods.provisioner.vm.VmSize;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * What a warm-pool VM is and how to recognise one, as pure functions. A pool VMI is named {@code maroon-pool-<suffix>}
 * (the node registers under the same name), labelled {@code maroonedpods.io/pool=true}, and its join info has no pod
 * UID. It carries {@link Names#POOL_AVAILABLE_LABEL} while it is verified and free, and the pod labels once claimed.
 */
public final class PoolVm {
    static final int SUFFIX_LENGTH = 10;
    private static final String SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private PoolVm() {}

    /** A fresh random name; DNS-safe, 22 characters, never reused in practice (36^10 names). */
    public static String newName(RandomGenerator random) {
        StringBuilder name = new StringBuilder(Names.POOL_NODE_PREFIX);
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
            name.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
        }
        return name.toString();
    }

    /** Every pool VM has the size of the smallest pod's VM: base resources plus overhead. */
    public static VmSize size(EffectiveConfig config) {
        return Sizing.of(new PodSpec(), config);
    }

    static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Names.MANAGED_BY_LABEL, Names.MANAGED_BY_VALUE);
        labels.put(Names.POOL_LABEL, "true");
        return labels;
    }

    public static VirtualMachineInstance desired(
            String name, EffectiveConfig config, String firmwareUuid, Instant bootStartedAt) {
        return DesiredVm.vmi(
                name,
                labels(),
                Map.of(Names.BOOT_STARTED_ANNOTATION, bootStartedAt.toString()),
                size(config),
                config,
                firmwareUuid);
    }

    /** User data whose join info has an empty pod UID: the node registers as a pool node. */
    public static Secret userdata(String name, EffectiveConfig config, VmCredentials credentials, JoinPin pin) {
        return DesiredVm.userdataSecret(name, "", labels(), Map.of(), config, credentials, pin);
    }

    public static boolean isPool(VirtualMachineInstance vmi) {
        return vmi.getMetadata().getName().startsWith(Names.POOL_NODE_PREFIX)
                && "true".equals(label(vmi, Names.POOL_LABEL));
    }

    /** The pod UID that claimed this pool VMI, or null while it is unclaimed. */
    public static String claimedBy(VirtualMachineInstance vmi) {
        return label(vmi, Names.POD_UID_LABEL);
    }

    public static boolean available(VirtualMachineInstance vmi) {
        return claimedBy(vmi) == null && "true".equals(label(vmi, Names.POOL_AVAILABLE_LABEL)) && !heldStranger(vmi);
    }

    /** Whether the VM's node ever held a stranger before a claim was complete: destroyed, never claimed. */
    public static boolean heldStranger(VirtualMachineInstance vmi) {
        return "true".equals(label(vmi, Names.HELD_STRANGER_LABEL));
    }

    /** The VM's size as it was created (cores and guest memory), to check a pod fits before claiming. */
    public static VmSize sizeOf(VirtualMachineInstance vmi) {
        var domain = vmi.getSpec() == null ? null : vmi.getSpec().domain;
        if (domain == null || domain.cpu == null || domain.memory == null || domain.memory.guest == null) {
            return new VmSize(0, 0);
        }
        long bytes = domain.memory.guest.getNumericalAmount().longValue();
        return new VmSize(domain.cpu.cores == null ? 0 : domain.cpu.cores, bytes / (1024L * 1024L));
    }

    private static String label(VirtualMachineInstance vmi, String key) {
        Map<String, String> labels = vmi.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }
}
