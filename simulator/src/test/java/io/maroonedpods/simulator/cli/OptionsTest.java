package io.maroonedpods.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void noFlagsGiveTheDefaults() {
        Options o = Options.parse();
        assertThat(o.pods()).isEqualTo(10);
        assertThat(o.nodes()).isEqualTo(3);
        assertThat(o.serve()).isFalse();
        assertThat(o.json()).isNull();
    }

    @Test
    void flagsTakeSeparateOrInlineValues() {
        Options o = Options.parse(
                "--pods",
                "4",
                "--nodes=2",
                "--boot-seconds",
                "0.5",
                "--api-fault-rate=0.2",
                "--seed",
                "-3",
                "--gated",
                "--json",
                "out.json",
                "--serve",
                "--provisioner-replicas",
                "2",
                "--disrupt-provisioner");
        assertThat(o.pods()).isEqualTo(4);
        assertThat(o.nodes()).isEqualTo(2);
        assertThat(o.bootSeconds()).isEqualTo(0.5);
        assertThat(o.apiFaultRate()).isEqualTo(0.2);
        assertThat(o.seed()).isEqualTo(-3);
        assertThat(o.gated()).isTrue();
        assertThat(o.json()).isEqualTo(Path.of("out.json"));
        assertThat(o.serve()).isTrue();
        assertThat(o.provisionerReplicas()).isEqualTo(2);
        assertThat(o.disruptProvisioner()).isTrue();
    }

    @Test
    void badValuesAreNamedWithTheRuleAndTheValue() {
        assertThatThrownBy(() -> Options.parse("--pods", "x"))
                .hasMessage("--pods: must be a whole number >= 1, got 'x'");
        assertThatThrownBy(() -> Options.parse("--pods", "0"))
                .hasMessage("--pods: must be a whole number >= 1, got '0'");
        assertThatThrownBy(() -> Options.parse("--nodes=-1"))
                .hasMessage("--nodes: must be a whole number >= 1, got '-1'");
        assertThatThrownBy(() -> Options.parse("--boot-seconds", "soon"))
                .hasMessage("--boot-seconds: must be a number of seconds from 0 to 3600, got 'soon'");
        assertThatThrownBy(() -> Options.parse("--api-fault-rate", "1.5"))
                .hasMessage("--api-fault-rate: must be a number from 0 to 0.99, got '1.5'");
        assertThatThrownBy(() -> Options.parse("--vmi-failure-rate", "1.5"))
                .hasMessage("--vmi-failure-rate: must be a number from 0 to 1, got '1.5'");
        assertThatThrownBy(() -> Options.parse("--seed", "abc"))
                .hasMessage("--seed: must be a whole number, got 'abc'");
        assertThatThrownBy(() -> Options.parse("--pods")).hasMessage("--pods: needs a value");
        assertThatThrownBy(() -> Options.parse("--pods", "--serve")).hasMessage("--pods: needs a value");
        assertThatThrownBy(() -> Options.parse("--frobnicate")).hasMessage("unknown flag '--frobnicate' (see --help)");
        assertThatThrownBy(() -> Options.parse("--serve=yes")).hasMessage("--serve: takes no value, got 'yes'");
        assertThatThrownBy(() -> Options.parse("--drop-watches", "0"))
                .hasMessage("--drop-watches: must be a number of seconds from 0.1 to 3600, got '0'");
        assertThatThrownBy(() -> Options.parse("--provisioner-replicas", "4"))
                .hasMessage("--provisioner-replicas: must be a whole number from 1 to 3, got '4'");
    }

    @Test
    void aWarmPoolSizeIsAWholeNumberFromZero() {
        assertThat(Options.parse("--warm-pool", "0").warmPool()).isZero();
        assertThat(Options.parse("--warm-pool", "2").warmPool()).isEqualTo(2);
        assertThatThrownBy(() -> Options.parse("--warm-pool", "-1")).hasMessageStartingWith("--warm-pool:");
        assertThat(Options.defaults().warmupPods()).isZero();
        assertThat(Options.parse("--warmup-pods=50").warmupPods()).isEqualTo(50);
        assertThatThrownBy(() -> Options.parse("--warmup-pods", "x")).hasMessageStartingWith("--warmup-pods:");
    }

    @Test
    void theCommandLineReportsFlagErrorsWithoutAStackTraceAndExitCode2() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"--pods", "x"}, new PrintStream(out), new PrintStream(err));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("simulate: --pods: must be a whole number >= 1, got 'x'" + System.lineSeparator());
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void helpPrintsTheUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Main.run(
                        new String[] {"--help"}, new PrintStream(out), new PrintStream(new ByteArrayOutputStream())))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("--pods N")
                .contains("--serve")
                .contains("--api-fault-rate F");
    }
}
