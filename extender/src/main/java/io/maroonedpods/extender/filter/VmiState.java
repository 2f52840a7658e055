package io.maroonedpods.extender.filter;

import java.time.Instant;

/**
 * The phase of the VMI behind a pod's node, and since when it is in that phase.
 *
 * @param phase status.phase, or "Pending" when KubeVirt has not set one yet
 * @param since when the phase was entered (phaseTransitionTimestamps, else creationTimestamp); may be null
 */
public record VmiState(String phase, Instant since) {}
