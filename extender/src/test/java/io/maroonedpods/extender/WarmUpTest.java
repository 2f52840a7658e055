package io.maroonedpods.extender;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WarmUpTest {
    @Test
    void aReadyExtenderHasRunItsVerbsOnMadeUpRequestsWithoutCountingThemInItsMetrics() {
        try (TestExtender extender = TestExtender.withWebPod(config -> config)) {
            assertThat(extender.server.ready()).isTrue();
            String metrics = extender.client.get("/metrics").body();
            assertThat(metrics)
                    .doesNotContain("extender_requests_total{verb=\"filter\"")
                    .doesNotContain("extender_requests_total{verb=\"prioritize\"")
                    .doesNotContain("extender_filter_decisions_total{");
            assertThat(extender.client
                            .post("/scheduler/filter", extender.webFilterRequest())
                            .status())
                    .isEqualTo(200);
            assertThat(extender.client.get("/metrics").body())
                    .contains("extender_requests_total{code=\"200\",verb=\"filter\"} 1");
        }
    }
}
