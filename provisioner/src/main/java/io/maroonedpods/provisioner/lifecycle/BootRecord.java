package io.maroonedpods.provisioner.lifecycle;

import io.fabric8.kubernetes.api.model.Pod;
import io.maroonedpods.api.Names;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * The boot history of a pod, kept durably in the pod's own annotations so that a restarted (or newly elected)
 * provisioner continues the count instead of starting over.
 *
 * @param attempts       VMs booted for the pod so far (a verified node does not reset it: a pod gets at most
 *                       {@code maxBootAttempts} VMs)
 * @param nextBootAfter  no new VM before this instant (backoff), or null
 * @param failure        why provisioning was given up, or null while it is still being tried
 */
public record BootRecord(int attempts, Instant nextBootAfter, String failure) {
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(10);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    public static BootRecord of(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        if (annotations == null) {
            return new BootRecord(0, null, null);
        }
        return new BootRecord(
                parseCount(annotations.get(Names.BOOT_ATTEMPTS_ANNOTATION)),
                parseInstant(annotations.get(Names.NEXT_BOOT_AFTER_ANNOTATION)),
                annotations.get(Names.PROVISIONING_FAILED_ANNOTATION));
    }

    public boolean gaveUp() {
        return failure != null;
    }

    /** Backoff before boot attempt {@code attempts + 1}: 10 s, 20 s, 40 s, ... at most 5 min. */
    public static Duration backoffAfter(int failedAttempts) {
        int doublings = Math.max(0, Math.min(failedAttempts - 1, 10));
        Duration backoff = FIRST_BACKOFF.multipliedBy(1L << doublings);
        return backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
    }

    /** The annotations that record this state; null values remove an annotation. */
    public Map<String, String> annotations() {
        HashMap<String, String> values = new HashMap<>();
        values.put(Names.BOOT_ATTEMPTS_ANNOTATION, attempts == 0 ? null : Integer.toString(attempts));
        values.put(Names.NEXT_BOOT_AFTER_ANNOTATION, nextBootAfter == null ? null : nextBootAfter.toString());
        values.put(Names.PROVISIONING_FAILED_ANNOTATION, failure);
        return values;
    }

    /** This record, counting at least {@code attempts} boots (the VMI's own count wins if the pod's was not written). */
    public BootRecord atLeast(int attempts) {
        return attempts > this.attempts ? new BootRecord(attempts, nextBootAfter, failure) : this;
    }

    static int parseCount(String text) {
        try {
            return text == null ? 0 : Math.max(0, Integer.parseInt(text.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Instant parseInstant(String text) {
        try {
            return text == null ? null : Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
