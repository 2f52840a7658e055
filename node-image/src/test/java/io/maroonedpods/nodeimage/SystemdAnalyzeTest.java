package io.maroonedpods.nodeimage;

import static io.maroonedpods.nodeimage.support.NodeUnits.BOOT;
import static io.maroonedpods.nodeimage.support.NodeUnits.K3S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.maroonedpods.nodeimage.support.NodeUnits;
import io.maroonedpods.nodeimage.support.Shell;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Real systemd's verdict: {@code systemd-analyze verify} loads our units into a root made of this machine's units
 * plus cloud-init's, and builds the start transaction of multi-user.target, reporting unknown keys, missing
 * executables and ordering cycles. Skipped, saying so, where systemd-analyze is not installed; UnitOrderingTest
 * checks the ordering everywhere.
 */
class SystemdAnalyzeTest {
    static final List<String> VARIANTS = NodeUnits.CLOUD_INIT_VARIANTS;
    static final List<String> AFTER_MULTI_USER = UnitOrderingTest.AFTER_MULTI_USER;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsSystemdAnalyze() {
        assumeTrue(
                Shell.onPath("systemd-analyze"),
                "SKIPPED: systemd-analyze is not installed here, so the unit files "
                        + "were not verified by systemd (UnitOrderingTest's model checks still ran); install systemd to run it");
    }

    @ParameterizedTest
    @FieldSource("VARIANTS")
    void systemdFindsNoProblemInOurUnitsNorAnOrderingCycle(String variant) {
        Shell.Result result = verify(NodeUnits.asShipped(), variant);

        assertThat(result.output())
                .as(result.output())
                .doesNotContain("ordering cycle", "Transaction order is cyclic")
                .doesNotContain(
                        BOOT + ":",
                        K3S + ":",
                        "10-marooned.conf:",
                        NodeUnits.CLEANUP_PATH + ":",
                        NodeUnits.CLEANUP + ":");
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @ParameterizedTest
    @FieldSource("AFTER_MULTI_USER")
    void systemdConfirmsTheCycleOurOrderingPrevents(String variant) {
        NodeUnits broken = NodeUnits.edited(unit -> unit, dropIn -> dropIn.replace("After=multi-user.target", ""));

        Shell.Result result = verify(broken, variant);

        assertThat(result.output()).contains("Found ordering cycle");
    }

    @Test
    void systemdReadsOurUnitsAndWouldReportTheirMistakes() {
        NodeUnits mistyped =
                NodeUnits.edited(unit -> unit.replace("RemainAfterExit=yes", "RemainAfterExits=yes"), dropIn -> dropIn);

        Shell.Result result = verify(mistyped, "target-after-multi-user");

        assertThat(result.output()).contains(BOOT + ":", "Unknown key", "RemainAfterExits");
    }

    private Shell.Result verify(NodeUnits units, String variant) {
        Path root = units.systemdRoot(dir.resolve(variant), variant);
        return Shell.run(
                List.of(
                        "systemd-analyze",
                        "verify",
                        "--root=" + root,
                        "--man=no",
                        "--generators=no",
                        "multi-user.target",
                        BOOT,
                        K3S,
                        NodeUnits.CLEANUP_PATH,
                        NodeUnits.CLEANUP),
                Map.of("SYSTEMD_LOG_COLOR", "0"),
                dir,
                Duration.ofMinutes(1));
    }
}
