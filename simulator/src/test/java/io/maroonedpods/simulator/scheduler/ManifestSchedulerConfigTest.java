package io.maroonedpods.simulator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ManifestSchedulerConfigTest {

    @Test
    void readsBackoffAndExtenderFromAConfigMapEmbeddedConfiguration() {
        String yaml = """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: x}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: cfg}
                data:
                  config.yaml: |
                    apiVersion: kubescheduler.config.k8s.io/v1
                    kind: KubeSchedulerConfiguration
                    podInitialBackoffSeconds: 2
                    podMaxBackoffSeconds: 4
                    profiles:
                      - schedulerName: maroon-scheduler
                    extenders:
                      - urlPrefix: http://127.0.0.1:8888/ext/
                        filterVerb: f
                        bindVerb: b
                        nodeCacheCapable: true
                        httpTimeout: 1m30s
                """;
        SchedulerProfile profile =
                ManifestSchedulerConfig.fromYaml(yaml, "test").orElseThrow();
        assertThat(profile.initialBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(profile.maxBackoff()).isEqualTo(Duration.ofSeconds(4));
        assertThat(profile.extender().urlPath()).isEqualTo("/ext");
        assertThat(profile.extender().filterVerb()).isEqualTo("f");
        assertThat(profile.extender().prioritizeVerb()).isEmpty();
        assertThat(profile.extender().httpTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void aConfigurationWithoutTheMaroonProfileIsNotOurs() {
        String yaml = """
                kind: KubeSchedulerConfiguration
                profiles:
                  - schedulerName: default-scheduler
                """;
        assertThat(ManifestSchedulerConfig.fromYaml(yaml, "test")).isEmpty();
    }

    @Test
    void theBuiltJarCarriesTheSecondarySchedulerOverlaysValues() {
        SchedulerProfile profile = ManifestSchedulerConfig.maroonProfile();
        assertThat(profile.source()).contains("manifests/overlays/secondary-scheduler/scheduler-config.yaml");
        assertThat(profile.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(profile.maxBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(profile.extender().nodeCacheCapable()).isTrue();
        assertThat(profile.extender().bindVerb()).isEqualTo("bind");
        assertThat(profile.extender().urlPath()).isEqualTo("/scheduler");
    }
}
