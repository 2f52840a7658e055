package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvisionerConfigTest {

    @Test
    void defaultsAreTheProductionSettings() {
        ProvisionerConfig defaults = ProvisionerConfig.defaults();

        assertThat(defaults.systemNamespace()).isEqualTo("maroonedpods-system");
        assertThat(defaults.leaderElection()).isTrue();
        assertThat(defaults.healthPort()).isEqualTo(8081);
        assertThat(defaults.podWatch()).isEqualTo(PodWatch.SCHEDULER_NAME);
        assertThat(defaults.problems()).isEmpty();
        assertThat(ProvisionerConfig.embedded().problems()).isEmpty();
    }

    @Test
    void theEnvironmentAndFlagsOverrideDefaults() {
        Map<String, String> settings =
                Main.settings(Map.of("MAROON_SYSTEM_NAMESPACE", "mp", "POD_NAME", "prov-0"), new String[] {
                    "--health-port=9000",
                    "--pod-watch=label",
                    "--sweep-seconds=30",
                    "--leader-election=false",
                    "--allowed-daemonsets=kube-system/*, mon/node-exporter"
                });

        ProvisionerConfig config = ProvisionerConfig.fromEnvironment(settings);

        assertThat(config.systemNamespace()).isEqualTo("mp");
        assertThat(config.identity()).isEqualTo("prov-0");
        assertThat(config.healthPort()).isEqualTo(9000);
        assertThat(config.podWatch()).isEqualTo(PodWatch.LABEL);
        assertThat(config.sweepInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.leaderElection()).isFalse();
        assertThat(config.allowedDaemonSets()).containsExactly("kube-system/*", "mon/node-exporter");
        assertThat(config.problems()).isEmpty();
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> ProvisionerConfig.fromEnvironment(Map.of("MAROON_HEALTH_PORT", "http")))
                .hasMessage("MAROON_HEALTH_PORT: must be an integer, got 'http'");
        assertThatThrownBy(() -> ProvisionerConfig.fromEnvironment(Map.of("MAROON_POD_WATCH", "some")))
                .hasMessageStartingWith("MAROON_POD_WATCH: must be scheduler-name, label or all-pods");
        assertThatThrownBy(() -> Main.settings(Map.of(), new String[] {"verbose"}))
                .hasMessageContaining("unknown argument 'verbose'");
        assertThatThrownBy(() -> Main.settings(Map.of(), new String[] {"--helth-port=9000"}))
                .hasMessageStartingWith("unknown flag '--helth-port': known are --allowed-daemonsets,")
                .hasMessageContaining("--health-port");
        assertThat(ProvisionerConfig.defaults().toBuilder()
                        .systemNamespace("Bad_NS")
                        .sweepInterval(Duration.ZERO)
                        .build()
                        .problems())
                .containsExactly(
                        "systemNamespace: must be a namespace name, got 'Bad_NS'",
                        "sweepInterval: must be at least 1 s, got PT0S");
        assertThat(ProvisionerConfig.defaults().toBuilder()
                        .allowedDaemonSets(java.util.List.of("everything"))
                        .build()
                        .problems())
                .containsExactly("allowedDaemonSets: 'everything' must be namespace/name or namespace/*");
    }
}
