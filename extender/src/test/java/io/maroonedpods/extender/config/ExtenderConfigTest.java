package io.maroonedpods.extender.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.maroonedpods.api.config.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        ExtenderConfig config = read(Map.of(
                "extender.port",
                "9000",
                "extender.bodylimitbytes",
                "4096",
                "extender.allowDaemonSets",
                "true",
                "extender.prefix",
                ""));
        assertEquals(9000, config.port());
        assertEquals(4096, config.bodyLimitBytes());
        assertTrue(config.allowDaemonSets());
        assertEquals("/scheduler", config.prefix(), "an empty value keeps the default");
    }

    @Test
    void invalidValuesFailWithTheKeyNamed() {
        assertEquals(
                "extender.port: must be 0..65535 (0 picks a free port), got 70000",
                assertThrows(InvalidConfigException.class, () -> read(Map.of("extender.port", "70000")))
                        .getMessage());
        assertEquals(
                "extender.port: must be a whole number, got \"eighty\"",
                assertThrows(InvalidConfigException.class, () -> read(Map.of("extender.port", "eighty")))
                        .getMessage());
        assertEquals(
                "extender.allowDaemonSets: must be true or false, got \"yes\"",
                assertThrows(InvalidConfigException.class, () -> read(Map.of("extender.allowDaemonSets", "yes")))
                        .getMessage());
        assertTrue(assertThrows(InvalidConfigException.class, () -> read(Map.of("extender.prefix", "scheduler/")))
                .getMessage()
                .startsWith("extender.prefix: must be empty or /segment"));
        assertEquals(
                "extender.tls: certFile and keyFile must be set together",
                assertThrows(
                                InvalidConfigException.class,
                                () -> ConfigEdits.tls(
                                        ExtenderConfig.defaults(),
                                        new ExtenderConfig.Tls(null, "/nonexistent", null, List.of())))
                        .problems()
                        .get(0));
    }

    @Test
    void readsTheLimits() {
        ExtenderConfig config = read(Map.of(
                "extender.bodyLimitBytes",
                "4194304",
                "extender.bodiesInFlightBytes",
                "8388608",
                "extender.readTimeoutSeconds",
                "3",
                "extender.maxConnections",
                "200"));
        assertEquals(new ConnectionLimits(8388608, 3, 200), config.limits());
        assertEquals(ConnectionLimits.defaults(), read(Map.of()).limits());
        assertEquals(
                Runtime.getRuntime().maxMemory() / 4,
                ConnectionLimits.defaults().bodiesInFlightBytes());
    }

    @Test
    void limitsThatCannotWorkFailWithTheKeyNamed() {
        assertEquals(
                "extender.bodiesInFlightBytes: must be at least extender.bodyLimitBytes (4194304), got 1048576",
                assertThrows(
                                InvalidConfigException.class,
                                () -> read(Map.of(
                                        "extender.bodyLimitBytes",
                                        "4194304",
                                        "extender.bodiesInFlightBytes",
                                        "1048576")))
                        .getMessage());
        assertEquals(
                "extender.readTimeoutSeconds: must be 1..3600, got 0",
                assertThrows(InvalidConfigException.class, () -> read(Map.of("extender.readTimeoutSeconds", "0")))
                        .getMessage());
        assertEquals(
                "extender.maxConnections: must be >= 1, got 0",
                assertThrows(InvalidConfigException.class, () -> read(Map.of("extender.maxConnections", "0")))
                        .getMessage());
    }

    @Test
    void aClientCaWithoutAllowedClientNamesIsRefused(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("pem"), "not read: the config check comes first");
        String pem = file.toString();
        InvalidConfigException e = assertThrows(
                InvalidConfigException.class,
                () -> read(Map.of(
                        "extender.tls.certFile", pem, "extender.tls.keyFile", pem, "extender.tls.clientCaFile", pem)));
        assertEquals(
                List.of("extender.tls.allowedClientNames: required with extender.tls.clientCaFile: the subject CN "
                        + "(or a DNS or URI SAN) of the scheduler's client certificate, e.g. system:kube-scheduler; without it "
                        + "any certificate the CA signed would pass"),
                e.problems());

        ExtenderConfig pinned = read(Map.of(
                "extender.tls.certFile",
                pem,
                "extender.tls.keyFile",
                pem,
                "extender.tls.clientCaFile",
                pem,
                "extender.tls.allowedClientNames",
                " system:kube-scheduler, maroon ,"));
        assertEquals(List.of("system:kube-scheduler", "maroon"), pinned.tls().allowedClientNames());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        InvalidConfigException e = assertThrows(
                InvalidConfigException.class,
                () -> read(Map.of("extender.port", "-1", "extender.vmNamespace", "Not_A_Namespace")));
        assertEquals(2, e.problems().size(), e.getMessage());
    }
}
