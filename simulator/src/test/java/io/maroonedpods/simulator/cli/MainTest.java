package io.maroonedpods.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @Test
    void aRunPrintsTheTimelineAndSummaryWritesTheJsonAndExitsZero(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("run.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(
                new String[] {"--pods", "2", "--nodes", "1", "--boot-seconds", "0", "--json", json.toString()},
                new PrintStream(out),
                new PrintStream(err));

        String stdout = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(stdout + err).isZero();
        assertThat(stdout)
                .contains("Per-pod timeline")
                .contains("tenant-a/maroon-1")
                .contains("maroon pods bound:         2 / 2")
                .contains("OK: all pods bound, nothing leaked, isolation held.");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bound 2/2");
        JsonNode summary = new ObjectMapper().readTree(json.toFile());
        assertThat(summary.path("pods").asInt()).isEqualTo(2);
        assertThat(summary.path("bound").asInt()).isEqualTo(2);
        assertThat(summary.path("orphans").asInt()).isZero();
        assertThat(summary.path("duplicateVmis").asInt()).isZero();
        assertThat(summary.path("bindP50Seconds").isNumber()).isTrue();
        assertThat(summary.path("timeline")).hasSize(2);
    }

    @Test
    void aWarmUpRunsTheFlowFirstAndCountsForNothingInTheSummary(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("run.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(
                new String[] {
                    "--pods",
                    "2",
                    "--warmup-pods",
                    "3",
                    "--nodes",
                    "1",
                    "--boot-seconds",
                    "0",
                    "--gated",
                    "--json",
                    json.toString()
                },
                new PrintStream(out),
                new PrintStream(err));

        assertThat(code).as(out.toString(StandardCharsets.UTF_8) + err).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("[warm-up]").contains("bound 3/2");
        JsonNode summary = new ObjectMapper().readTree(json.toFile());
        assertThat(summary.path("bound").asInt()).isEqualTo(2);
        assertThat(summary.path("timeline")).hasSize(2);
        assertThat(summary.path("vmisCreated").asInt())
                .as("the warm-up's 3 VMIs are not counted")
                .isEqualTo(2);
        assertThat(summary.path("vmisDeleted").asInt()).isEqualTo(2);
        assertThat(summary.path("orphans").asInt()).isZero();
    }
}
