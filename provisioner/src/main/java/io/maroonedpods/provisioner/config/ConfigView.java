package io.maroonedpods.provisioner.config;

import io.maroonedpods.api.config.EffectiveConfig;

/**
 * The configuration as the provisioner sees it right now: usable, or the reason it is not.
 *
 * @param config     the effective configuration, or null when {@code problem} is set
 * @param problem    what is wrong, naming the field, or null
 * @param generation metadata.generation of MaroonedPodsConfig {@code default}, or null when it does not exist
 */
public record ConfigView(EffectiveConfig config, String problem, Long generation) {

    public boolean usable() {
        return problem == null;
    }
}
