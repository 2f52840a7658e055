package io.maroonedpods.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.maroonedpods.simulator.cli.Options;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What --serve offers: kubectl, with the written kubeconfig, reads the simulated cluster. */
class ServeKubectlTest {

    private static boolean kubectlInstalled() {
        try {
            return new ProcessBuilder("kubectl", "version", "--client")
                            .redirectErrorStream(true)
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String kubectl(Path kubeconfig, String path) throws Exception {
        return kubectl(kubeconfig, List.of("get", "--raw", path));
    }

    private static String kubectl(Path kubeconfig, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void kubectlReadsPodsNodesAndVmisOfTheServedCluster(@TempDir Path dir) throws Exception {
        assumeTrue(kubectlInstalled(), "kubectl is not installed");
        try (Simulation simulation = new Simulation(
                        Options.parse("--pods", "1", "--nodes", "1", "--boot-seconds", "0"),
                        new PrintStream(OutputStream.nullOutputStream()))
                .start()) {
            assertThat(simulation.awaitBound()).isTrue();
            Path kubeconfig = simulation.api().writeKubeconfig(dir.resolve("kubeconfig"));
            assertThat(Files.readString(kubeconfig)).contains("server: http://127.0.0.1:");

            assertThat(kubectl(kubeconfig, "/api/v1/pods"))
                    .contains("\"maroon-1\"")
                    .contains("\"web-1\"");
            assertThat(kubectl(kubeconfig, "/api/v1/nodes"))
                    .contains("\"worker-1\"")
                    .contains("\"maroon-");
            assertThat(kubectl(kubeconfig, "/apis/kubevirt.io/v1/virtualmachineinstances"))
                    .contains("\"VirtualMachineInstance\"")
                    .contains("\"Running\"");
            // Discovery is served too, so kubectl's resource names work, not only raw paths.
            assertThat(kubectl(
                            kubeconfig,
                            List.of(
                                    "get",
                                    "pods",
                                    "-A",
                                    "-o",
                                    "custom-columns=NAME:.metadata.name,NODE:.spec.nodeName")))
                    .containsPattern("maroon-1\\s+maroon-");
            assertThat(kubectl(kubeconfig, List.of("get", "vmi", "-A"))).contains("maroonedpods-nodes");
            assertThat(simulation.extenderUrl()).matches("http://127\\.0\\.0\\.1:\\d+/scheduler");
        }
    }
}
