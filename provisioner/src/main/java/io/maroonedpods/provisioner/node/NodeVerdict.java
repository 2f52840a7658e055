package io.maroonedpods.provisioner.node;

import java.util.List;

/**
 * What the provisioner concluded about a node that claims to be a pod's VM.
 *
 * @param outcome  VERIFIED: label it; WAITING: not enough reported yet to decide (no IP yet); REJECTED: it is not
 *                 the VM we booted, never label it
 * @param problems human-readable reasons, empty when verified
 */
public record NodeVerdict(Outcome outcome, List<String> problems) {

    public enum Outcome {
        VERIFIED,
        WAITING,
        REJECTED
    }

    public static NodeVerdict verified() {
        return new NodeVerdict(Outcome.VERIFIED, List.of());
    }

    public boolean is(Outcome expected) {
        return outcome == expected;
    }

    public String summary() {
        return String.join("; ", problems);
    }
}
