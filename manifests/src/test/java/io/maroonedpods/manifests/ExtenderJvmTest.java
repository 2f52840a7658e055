package io.maroonedpods.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The extender's JVM options in both overlays: the ones bench/extender.sh measures (it reads them from the secondary
 * overlay), and, since JAVA_OPTS replaces the image's defaults, still failing fast on an out-of-memory error.
 */
class ExtenderJvmTest {
    static final Container SIDECAR = SchedulerWiringTest.container(
            Kustomize.find(Repo.SECONDARY, Deployment.class, "maroon-scheduler"), "extender");
    static final Container SERVICE = SchedulerWiringTest.container(
            Kustomize.find(Repo.MAIN, Deployment.class, "maroonedpods-extender"), "extender");

    @Test
    void bothOverlaysRunTheExtenderWithTheSameJvmOptions() {
        assertThat(SchedulerWiringTest.env(SERVICE, "JAVA_OPTS"))
                .isEqualTo(SchedulerWiringTest.env(SIDECAR, "JAVA_OPTS"));
        assertThat(SchedulerWiringTest.env(SIDECAR, "MALLOC_ARENA_MAX")).isEqualTo("2");
        assertThat(SchedulerWiringTest.env(SERVICE, "MALLOC_ARENA_MAX")).isEqualTo("2");
    }

    @Test
    void jvmOptionsKeepTheImageDefaultsThatAreNotAboutTheHeapSize() throws IOException {
        Matcher defaults =
                Pattern.compile("default_java_opts=\"([^\"]*)\"").matcher(Files.readString(ServiceImageTest.SCRIPT));
        assertThat(defaults.find())
                .as("default_java_opts in %s", ServiceImageTest.SCRIPT)
                .isTrue();
        List<String> kept = Arrays.stream(defaults.group(1).split(" "))
                .filter(option -> !option.startsWith("-XX:MaxRAMPercentage"))
                .toList();
        assertThat(kept).contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(options(SIDECAR)).containsAll(kept);
    }

    @Test
    void heapIsFixedAndWellInsideTheMemoryRequest() {
        String xmx = options(SIDECAR).stream()
                .filter(o -> o.startsWith("-Xmx"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("JAVA_OPTS sets no -Xmx: the heap would follow the limit"));
        long heapBytes = Quantity.getAmountInBytes(
                        new Quantity(xmx.substring(4).toUpperCase().replace("M", "Mi")))
                .longValue();
        for (Container extender : List.of(SIDECAR, SERVICE)) {
            long request = Quantity.getAmountInBytes(
                            extender.getResources().getRequests().get("memory"))
                    .longValue();
            // The process is about three times its heap (metaspace, JIT code, thread stacks, the JVM itself).
            assertThat(3 * heapBytes).as("3 x %s vs the memory request", xmx).isLessThanOrEqualTo(request);
        }
    }

    private static List<String> options(Container container) {
        return List.of(SchedulerWiringTest.env(container, "JAVA_OPTS").split(" "));
    }
}
