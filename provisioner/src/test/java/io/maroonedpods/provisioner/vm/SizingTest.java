package io.maroonedpods.provisioner.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SizingTest {
    static final EffectiveConfig DEFAULTS = EffectiveConfig.defaults();
    static final EffectiveConfig NO_OVERHEAD_SMALL_BASE = EffectiveConfig.of(new MaroonedPodsConfigSpec(
            null,
            null,
            null,
            new MaroonedPodsConfigSpec.BaseVmResources(1, 512),
            new MaroonedPodsConfigSpec.ResourceOverhead("0", "0"),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null));

    @Test
    void aPodWithoutRequestsGetsTheBaseVm() {
        PodSpec spec = new PodSpecBuilder()
                .addToContainers(container("app", null, null, null, null))
                .build();

        assertThat(Sizing.of(spec, DEFAULTS)).isEqualTo(new VmSize(1, 1024));
    }

    @Test
    void requestsPlusOverheadAreRoundedUpToWholeCoresAndMebibytes() {
        PodSpec spec = new PodSpecBuilder()
                .addToContainers(container("app", "1500m", "1G", null, null))
                .build();

        // 1.5 + 0.5 = 2 cores; 1e9 B + 512 MiB = 1465.67 MiB -> 1466
        assertThat(Sizing.of(spec, DEFAULTS)).isEqualTo(new VmSize(2, 1466));
    }

    @Test
    void aLimitCountsWhereItIsHigherThanTheRequest() {
        PodSpec spec = new PodSpecBuilder()
                .addToContainers(container("app", "500m", "512Mi", "3", "2Gi"))
                .build();

        assertThat(Sizing.of(spec, NO_OVERHEAD_SMALL_BASE)).isEqualTo(new VmSize(3, 2048));
    }

    @Test
    void containersAndSidecarsAddUpAndTheLargestInitContainerWinsIfBigger() {
        Container sidecar = new ContainerBuilder(container("proxy", "1", "256Mi", null, null))
                .withRestartPolicy("Always")
                .build();
        PodSpec smallInit = new PodSpecBuilder()
                .addToInitContainers(container("migrate", "1", "512Mi", null, null), sidecar)
                .addToContainers(container("a", "1", "256Mi", null, null), container("b", "1", "256Mi", null, null))
                .build();
        // running: 1 + 1 + sidecar 1 = 3 cores, 768Mi; init "migrate" ran before the sidecar: 1 core, 512Mi
        assertThat(Sizing.of(smallInit, NO_OVERHEAD_SMALL_BASE)).isEqualTo(new VmSize(3, 768));

        PodSpec bigInit = new PodSpecBuilder()
                .addToInitContainers(sidecar, container("warm-cache", "4", "3Gi", null, null))
                .addToContainers(container("a", "1", "256Mi", null, null))
                .build();
        // init "warm-cache" runs beside the sidecar: 4 + 1 = 5 cores, 3Gi + 256Mi
        assertThat(Sizing.of(bigInit, NO_OVERHEAD_SMALL_BASE)).isEqualTo(new VmSize(5, 3328));
    }

    @Test
    void podOverheadIsAdded() {
        PodSpec spec = new PodSpecBuilder()
                .addToContainers(container("app", "1", "1Gi", null, null))
                .withOverhead(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("160Mi")))
                .build();

        assertThat(Sizing.of(spec, DEFAULTS)).isEqualTo(new VmSize(2, 1024 + 160 + 512));
    }

    static Container container(String name, String cpu, String memory, String cpuLimit, String memoryLimit) {
        ContainerBuilder builder = new ContainerBuilder().withName(name).withImage("img");
        var resources = builder.withNewResources();
        if (cpu != null) {
            resources.addToRequests("cpu", new Quantity(cpu));
        }
        if (memory != null) {
            resources.addToRequests("memory", new Quantity(memory));
        }
        if (cpuLimit != null) {
            resources.addToLimits("cpu", new Quantity(cpuLimit));
        }
        if (memoryLimit != null) {
            resources.addToLimits("memory", new Quantity(memoryLimit));
        }
        return resources.endResources().build();
    }
}
