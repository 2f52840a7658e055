package io.maroonedpods.nodeimage;

import static io.maroonedpods.nodeimage.support.NodeUnits.BOOT;
import static io.maroonedpods.nodeimage.support.NodeUnits.K3S;
import static org.assertj.core.api.Assertions.assertThat;

import io.maroonedpods.nodeimage.support.BootScript;
import io.maroonedpods.nodeimage.support.NodeImage;
import io.maroonedpods.nodeimage.support.NodeUnits;
import io.maroonedpods.nodeimage.support.Ordering;
import io.maroonedpods.nodeimage.support.UnitFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The boot unit and k3s-agent: k3s starts only after the config is rendered, the boot unit never waits for k3s (the
 * seed's deadlock), and the boot transaction has no ordering cycle with any shape cloud-init's units have had.
 * Checked on a model of systemd's ordering rules, so it runs everywhere; SystemdAnalyzeTest asks real systemd.
 */
class UnitOrderingTest {
    static final List<String> VARIANTS = NodeUnits.CLOUD_INIT_VARIANTS;
    /** Cloud-init shapes in which cloud-init.target (and so our boot unit) comes after multi-user.target. */
    static final List<String> AFTER_MULTI_USER = List.of("target-after-multi-user", "final-after-multi-user");

    static final Pattern BLOCKING_START =
            Pattern.compile("systemctl\\s+(?!.*--no-block)(.*\\s)?(start|restart|reload-or-restart|isolate)\\b");

    final NodeUnits units = NodeUnits.asShipped();

    @ParameterizedTest
    @FieldSource("VARIANTS")
    void theBootHasNoOrderingCycle(String variant) {
        Ordering ordering = units.ordering(variant);

        assertThat(ordering.cycleWhenStarting("multi-user.target")).isEmpty();
        assertThat(ordering.cycleWhenStarting(K3S)).isEmpty();
        assertThat(ordering.pulledIn("multi-user.target")).contains(BOOT, K3S, "cloud-final.service");
    }

    @ParameterizedTest
    @FieldSource("VARIANTS")
    void k3sStartsAfterTheBootUnitWhichStartsAfterCloudInitWroteTheJoinInfo(String variant) {
        Ordering ordering = units.ordering(variant);

        assertThat(ordering.orderedAfter("multi-user.target", K3S, BOOT)).isTrue();
        assertThat(ordering.orderedAfter("multi-user.target", BOOT, "cloud-final.service"))
                .isTrue();
        assertThat(ordering.orderedAfter("multi-user.target", BOOT, "cloud-init.service"))
                .isTrue();
        assertThat(ordering.orderedAfter("multi-user.target", BOOT, "network-online.target"))
                .isTrue();
        assertThat(ordering.orderedAfter("multi-user.target", BOOT, K3S))
                .as("the boot unit never waits for k3s")
                .isFalse();
    }

    @Test
    void k3sRequiresTheBootUnitSoAFailedBootUnitKeepsItStopped() {
        UnitFile k3s = units.k3sAgent();

        assertThat(k3s.list("Unit", "Requires")).contains(BOOT);
        assertThat(k3s.list("Unit", "After")).contains(BOOT);
        assertThat(k3s.value("Service", "ExecStart")).isEqualTo("/usr/bin/k3s agent");
        assertThat(k3s.list("Install", "WantedBy")).containsExactly("multi-user.target");
    }

    @Test
    void theBootUnitIsAOneshotThatStaysActiveAndDependsOnNothingOfK3s() {
        UnitFile boot = units.boot();

        assertThat(boot.value("Service", "Type")).isEqualTo("oneshot");
        assertThat(boot.value("Service", "RemainAfterExit")).isEqualTo("yes");
        assertThat(boot.list("Unit", "Wants")).contains("network-online.target");
        assertThat(boot.list("Unit", "After"))
                .contains("network-online.target", "cloud-final.service", "cloud-init.target");
        for (String key : List.of("After", "Requires", "Wants", "BindsTo", "Requisite", "PartOf")) {
            assertThat(boot.list("Unit", key)).as(key).doesNotContain(K3S);
        }
        assertThat(boot.list("Install", "WantedBy")).containsExactly("multi-user.target");
        Path script =
                NodeImage.ROOTFS.resolve(boot.value("Service", "ExecStart").substring(1));
        assertThat(script).isEqualTo(NodeImage.BOOT_SCRIPT);
        assertThat(Files.isExecutable(script)).isTrue();
        assertThat(Integer.parseInt(boot.value("Service", "TimeoutStartSec")))
                .as("longer than the script's own waits (300 s join info + 60 s address)")
                .isGreaterThan(360);
    }

    @Test
    void nothingInTheImageStartsAUnitBlocking() {
        Stream<String> execLines = Stream.of(units.boot(), units.k3sAgent())
                .flatMap(unit -> Stream.of("ExecStartPre", "ExecStart", "ExecStartPost", "ExecReload")
                        .flatMap(key -> unit.values("Service", key).stream()));
        Stream<String> scriptLines = BootScript.read(NodeImage.BOOT_SCRIPT)
                .lines()
                .filter(line -> !line.strip().startsWith("#"));

        assertThat(Stream.concat(execLines, scriptLines))
                .noneMatch(line -> BLOCKING_START.matcher(line).find());
        assertThat(BLOCKING_START.matcher("systemctl start k3s-agent").find())
                .as("the check can fail")
                .isTrue();
        assertThat(BLOCKING_START
                        .matcher("systemctl --no-block start k3s-agent")
                        .find())
                .isFalse();
    }

    @ParameterizedTest
    @FieldSource("AFTER_MULTI_USER")
    void withoutOrderingK3sAfterMultiUserTheBootWouldHaveACycle(String variant) {
        NodeUnits broken = NodeUnits.edited(unit -> unit, dropIn -> dropIn.replace("After=multi-user.target", ""));

        Optional<List<String>> cycle = broken.ordering(variant).cycleWhenStarting("multi-user.target");

        assertThat(cycle).hasValueSatisfying(path -> assertThat(path).contains("multi-user.target", K3S));
    }

    @ParameterizedTest
    @FieldSource("AFTER_MULTI_USER")
    void withoutOrderingTheBootUnitAfterMultiUserTheBootWouldHaveACycle(String variant) {
        NodeUnits broken = NodeUnits.edited(unit -> unit.replace(" multi-user.target", ""), dropIn -> dropIn);

        Optional<List<String>> cycle = broken.ordering(variant).cycleWhenStarting("multi-user.target");

        assertThat(cycle).hasValueSatisfying(path -> assertThat(path).contains("multi-user.target", BOOT));
    }

    @Test
    void theSeedsDeadlockShapeIsDetected() {
        // The seed's boot unit waited for k3s-agent, which is ordered after it: each waits for the other.
        NodeUnits seedLike =
                NodeUnits.edited(unit -> unit.replace("[Unit]", "[Unit]\nAfter=k3s-agent.service"), dropIn -> dropIn);

        assertThat(seedLike.ordering("target-orders-nothing").cycleWhenStarting(K3S))
                .hasValueSatisfying(path -> assertThat(path).contains(BOOT, K3S));
    }
}
