package io.maroonedpods.extender.config;

import io.helidon.config.Config;
import io.maroonedpods.api.config.InvalidConfigException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Typed values of the {@code extender} config node: absent keys give the fallback, malformed ones a clear error. */
final class ConfigValues {
    private ConfigValues() {}

    /** A comma-separated list, blanks dropped: {@code EXTENDER_TLS_ALLOWEDCLIENTNAMES=a,b}. */
    static List<String> names(String list) {
        return Arrays.stream(list.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    // Environment variables reach Helidon config lower-cased (EXTENDER_BODYLIMITBYTES -> extender.bodylimitbytes),
    // so every camelCase key is also looked up in lower case.
    private static Optional<String> raw(Config c, String key) {
        Optional<String> value = c.get(key).asString().asOptional();
        return value.isPresent() ? value : c.get(key.toLowerCase()).asString().asOptional();
    }

    static String text(Config c, String key, String fallback) {
        return raw(c, key).map(String::trim).filter(s -> !s.isEmpty()).orElse(fallback);
    }

    static int integer(Config c, String key, int fallback) {
        long value = longValue(c, key, fallback);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new InvalidConfigException(List.of("extender." + key + ": out of range, got " + value));
        }
        return (int) value;
    }

    static long longValue(Config c, String key, long fallback) {
        Optional<String> value = raw(c, key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.get().trim());
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(
                    List.of("extender." + key + ": must be a whole number, got \"" + value.get() + "\""));
        }
    }

    static boolean bool(Config c, String key, boolean fallback) {
        Optional<String> value = raw(c, key).map(s -> s.trim().toLowerCase());
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get()) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new InvalidConfigException(
                        List.of("extender." + key + ": must be true or false, got \"" + value.get() + "\""));
        };
    }
}
