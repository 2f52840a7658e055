package io.maroonedpods.extender.config;

import io.maroonedpods.api.Names;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The extender's environment variables as config keys spelled the way {@link ExtenderConfig} reads them:
 * {@code EXTENDER_GZIPMINBYTES} sets {@code extender.gzipMinBytes}. Helidon's own environment source gives
 * {@code extender.gzipminbytes}, a different key from the {@code extender.gzipMinBytes} of the bundled
 * application.yaml, which would shadow the variable.
 */
public final class EnvironmentKeys {
    private static final String PREFIX = "EXTENDER_";

    private EnvironmentKeys() {}

    /** Variables that name no key (or not under EXTENDER_) are left out: Helidon's mapping would ignore them too. */
    public static Map<String, String> of(Map<String, String> environment) {
        Map<String, String> keys = new LinkedHashMap<>();
        environment.forEach((name, value) -> {
            if (!name.startsWith(PREFIX)) {
                return;
            }
            String mapped =
                    name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
            ExtenderConfig.KEYS.stream()
                    .filter(key -> key.toLowerCase(Locale.ROOT).equals(mapped))
                    .findFirst()
                    .ifPresent(key -> keys.put("extender." + key, value));
        });
        // The setting the provisioner reads too, so that one value names the scheduler for both.
        Optional.ofNullable(environment.get(Names.SCHEDULER_NAME_SETTING))
                .ifPresent(name -> keys.put("extender.schedulerName", name));
        return keys;
    }
}
