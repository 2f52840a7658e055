package io.maroonedpods.extender.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EnvironmentKeysTest {

    @Test
    void variablesNameTheKeysAsTheExtenderSpellsThem() {
        assertThat(EnvironmentKeys.of(Map.of(
                        "EXTENDER_GZIPMINBYTES",
                        "1",
                        "EXTENDER_TLS_CERTFILE",
                        "/tls/crt",
                        "EXTENDER_PORT",
                        "9000",
                        "EXTENDER_BIND_ADDRESS",
                        "0.0.0.0",
                        "PATH",
                        "/bin",
                        "JAVA_OPTS",
                        "-Xmx1g")))
                .containsOnly(
                        Map.entry("extender.gzipMinBytes", "1"),
                        Map.entry("extender.tls.certFile", "/tls/crt"),
                        Map.entry("extender.port", "9000"));
    }

    /** The provisioner reads the same variable: one value names the scheduler for both. */
    @Test
    void theSharedSchedulerNameSettingSetsTheExtendersSchedulerName() {
        assertThat(EnvironmentKeys.of(Map.of(io.maroonedpods.api.Names.SCHEDULER_NAME_SETTING, "vm-scheduler")))
                .containsOnly(Map.entry("extender.schedulerName", "vm-scheduler"));
    }

    /** The bundled application.yaml spells its defaults in camelCase: a variable must still win over them. */
    @Test
    void variablesWinOverTheBundledDefaults() {
        ExtenderConfig config = ExtenderConfig.from(Config.just(
                ConfigSources.create(EnvironmentKeys.of(
                        Map.of("EXTENDER_GZIPMINBYTES", "2147483647", "EXTENDER_BODYLIMITBYTES", "4194304"))),
                ConfigSources.classpath("application.yaml")));
        assertThat(config.gzipMinBytes()).isEqualTo(Integer.MAX_VALUE);
        assertThat(config.bodyLimitBytes()).isEqualTo(4194304);
        assertThat(config.port()).isEqualTo(ExtenderConfig.DEFAULT_PORT);
    }

    /** The real start: an invalid value set the way the manifests set values stops it, naming the key. */
    @Test
    void mainReadsTheProcessEnvironment() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.maroonedpods.extender.Main",
                        "--port=0")
                .redirectErrorStream(true);
        builder.environment().put("EXTENDER_BODYLIMITBYTES", "100");
        Process process = builder.start();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exited)
                .as("the extender started although EXTENDER_BODYLIMITBYTES=100 is invalid:%n%s", output)
                .isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("extender.bodyLimitBytes: must be 1024..");
    }
}
