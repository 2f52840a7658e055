package io.maroonedpods.provisioner.lifecycle;

import io.maroonedpods.api.Names;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** The facts about a VMI that boot decisions use; {@code attempt} is the boot attempt it was created as (0: unknown). */
public record ObservedVm(String name, String phase, String reason, Instant bootStartedAt, int attempt) {

    /**
     * The boot clock starts at our own annotation (written with the provisioner's clock); a VMI without it (created
     * by an older version, or by hand) counts from its creationTimestamp, and from {@code now} if that is missing.
     */
    public static ObservedVm of(VirtualMachineInstance vmi, Instant now) {
        Map<String, String> annotations = vmi.getMetadata().getAnnotations();
        Instant started = parse(annotations == null ? null : annotations.get(Names.BOOT_STARTED_ANNOTATION));
        if (started == null) {
            started = parse(vmi.getMetadata().getCreationTimestamp());
        }
        String reason = vmi.getStatus() == null || vmi.getStatus().reason == null ? "" : vmi.getStatus().reason;
        int attempt =
                BootRecord.parseCount(annotations == null ? null : annotations.get(Names.BOOT_ATTEMPTS_ANNOTATION));
        return new ObservedVm(
                vmi.getMetadata().getName(), vmi.phase(), reason, started == null ? now : started, attempt);
    }

    private static Instant parse(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
