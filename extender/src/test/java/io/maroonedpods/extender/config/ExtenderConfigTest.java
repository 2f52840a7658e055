package io.maroonedpods.extender.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.maroonedpods.api.config.InvalidConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtenderConfigTest {

    static ExtenderConfig read(Map<String, String> values) {
        return ExtenderConfig.from(Config.just(ConfigSources.create(values)));
    }

    @Test
    void defaultsSuitTheSidecar() {
        ExtenderConfig config = read(Map.of());
        assertEquals(ExtenderConfig.defaults(), config);
        assertEquals(8888, config.port());
        assertEquals("127.0.0.1", config.bindAddress());
        assertEquals("/scheduler", config.prefix());
        assertEquals(false, config.allowDaemonSets());
    }

    @Test
    void readsKeysUnderExtenderIncludingLowerCasedEnvironmentNames() {
        ExtenderConfig config = read(Map.of("extender.port", "9000", "extender.bodylimitbytes", "4096",
                "extender.allowDaemonSets", "true", "extender.prefix", ""));
        assertEquals(9000, config.port());
        assertEquals(4096, config.bodyLimitBytes());
        assertTrue(config.allowDaemonSets());
        assertEquals("/scheduler", config.prefix(), "an empty value keeps the default");
    }

    @Test
    void invalidValuesFailWithTheKeyNamed() {
        assertEquals("extender.port: must be 0..65535 (0 picks a free port), got 70000",
                assertThrows(InvalidConfigException.class, () -> read(Map.of("extender.port", "70000")))
                        .getMessage());
        assertEquals("extender.port: must be a whole number, got \"eighty\"",
                assertThrows(InvalidConfigException.class, () -> read(Map.of("extender.port", "eighty")))
                        .getMessage());
        assertEquals("extender.allowDaemonSets: must be true or false, got \"yes\"",
                assertThrows(InvalidConfigException.class, () -> read(Map.of("extender.allowDaemonSets", "yes")))
                        .getMessage());
        assertTrue(assertThrows(InvalidConfigException.class,
                () -> read(Map.of("extender.prefix", "scheduler/"))).getMessage()
                .startsWith("extender.prefix: must be empty or /segment"));
        assertEquals("extender.tls: certFile and keyFile must be set together",
                assertThrows(InvalidConfigException.class, () -> ExtenderConfig.defaults()
                        .withTls(new ExtenderConfig.Tls(null, "/nonexistent", null, List.of()))).problems().get(0));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> read(Map.of("extender.port", "-1", "extender.vmNamespace", "Not_A_Namespace")));
        assertEquals(2, e.problems().size(), e.getMessage());
    }
}
