package io.maroonedpods.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.OptIn;
import io.maroonedpods.simulator.cli.Options;
import io.maroonedpods.simulator.report.Summary;
import io.maroonedpods.simulator.report.SummaryJson;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Small whole runs: the real extender and provisioner against the simulated cluster. */
class SimulationEndToEndTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private static Summary run(String... args) {
        try (Simulation simulation = new Simulation(Options.parse(args), QUIET).start()) {
            assertThat(simulation.awaitBound()).as("all maroon pods bound").isTrue();
            simulation.checkIsolation();
            List<Pod> pods = simulation.pods();
            List<Pod> maroon = pods.stream().filter(OptIn::isMaroon).toList();
            assertThat(maroon)
                    .allSatisfy(p -> assertThat(p.getSpec().getNodeName())
                            .isEqualTo(Names.nodeName(p.getMetadata().getUid())));
            assertThat(maroon).extracting(p -> p.getSpec().getNodeName()).doesNotHaveDuplicates();
            assertThat(pods).filteredOn(p -> !OptIn.isMaroon(p)).isNotEmpty().allSatisfy(p -> {
                assertThat(p.getSpec().getNodeName())
                        .as("ordinary pods are scheduled")
                        .startsWith("worker-");
                assertThat(Names.isMaroonNodeName(p.getSpec().getNodeName())).isFalse();
            });
            Summary summary = simulation.summary(simulation.teardown());
            assertThat(simulation.api().front().componentRefusals())
                    .as(
                            "the components' requests that kube-apiserver refuses (unsupported field selectors, unserved resources)")
                    .isEmpty();
            return summary;
        }
    }

    @Test
    void aSmallRunBindsEveryPodAloneOnItsOwnNodeAndLeavesNothingBehind() {
        Summary summary = run("--pods", "3", "--nodes", "2", "--boot-seconds", "0");

        assertThat(summary.bound()).isEqualTo(3);
        assertThat(summary.orphans()).isEmpty();
        assertThat(summary.duplicateVmis()).isZero();
        assertThat(summary.vmisCreated()).isEqualTo(3);
        assertThat(summary.vmisDeleted()).isEqualTo(3);
        assertThat(summary.isolationViolations()).isEmpty();
        assertThat(summary.bootProblems()).isEmpty();
        assertThat(summary.tokenLeaks()).isEmpty();
        assertThat(summary.problems()).isEmpty();
        assertThat(summary.timeline()).hasSize(3).allSatisfy(t -> {
            assertThat(t.vmiCreated()).isGreaterThanOrEqualTo(t.created());
            assertThat(t.nodeVerified()).isGreaterThanOrEqualTo(t.vmiCreated());
            assertThat(t.bound()).isGreaterThanOrEqualTo(t.nodeVerified());
        });
        Map<String, Object> json = SummaryJson.document(summary);
        assertThat(json)
                .containsEntry("pods", 3)
                .containsEntry("bound", 3)
                .containsEntry("duplicateVmis", 0)
                .containsEntry("orphans", 0)
                .containsKeys(
                        "bindP50Seconds", "bindP95Seconds", "failedSchedulingReasons", "vmisCreated", "vmisDeleted");
        assertThat(summary.bindP95Seconds()).isGreaterThanOrEqualTo(summary.bindP50Seconds());
    }

    @Test
    void gatedPodsEnterTheSchedulerOnlyOnceTheirNodeTakesThemSoNoAttemptFails() {
        Summary summary = run("--pods", "2", "--nodes", "1", "--boot-seconds", "1", "--gated");

        assertThat(summary.problems()).isEmpty();
        // The gate opens when the node is verified and Ready: the first attempt binds, nothing is FailedScheduling.
        assertThat(summary.failedSchedulingReasons()).isEmpty();
        assertThat(summary.failedSchedulingEvents()).isZero();
    }

    @Test
    void injectedApiFaultsAndDroppedWatchesDoNotCostABindingOrLeaveAnythingBehind() {
        Summary summary = run(
                "--pods",
                "3",
                "--nodes",
                "2",
                "--boot-seconds",
                "1",
                "--api-fault-rate",
                "0.1",
                "--seed",
                "7",
                "--drop-watches",
                "0.7");

        assertThat(summary.apiFaultsInjected()).isPositive();
        assertThat(summary.watchesDropped()).isPositive();
        assertThat(summary.problems()).isEmpty();
    }

    @Test
    void aLeaderChangeInTheMiddleOfABurstCostsNoBindingAndLeavesNothing() {
        Summary summary = run(
                "--pods",
                "4",
                "--nodes",
                "1",
                "--boot-seconds",
                "0.5",
                "--provisioner-replicas",
                "2",
                "--disrupt-provisioner");

        assertThat(summary.disruptions()).singleElement().asString().contains("(the leader)");
        assertThat(summary.problems()).isEmpty();
        assertThat(summary.duplicateVmis()).isZero();
    }

    @Test
    void aWarmPoolBindsClaimedPodsFasterThanBootedOnesAndNothingIsLeftAfterTheRun() {
        Options options = Options.parse("--pods", "4", "--nodes", "1", "--boot-seconds", "2", "--warm-pool", "2");
        try (Simulation simulation = new Simulation(options, QUIET).start()) {
            assertThat(simulation.awaitBound()).as("all maroon pods bound").isTrue();
            simulation.checkIsolation();
            List<Pod> maroon =
                    simulation.pods().stream().filter(OptIn::isMaroon).toList();
            assertThat(maroon)
                    .extracting(p -> p.getSpec().getNodeName())
                    .doesNotHaveDuplicates()
                    .filteredOn(n -> n.startsWith(Names.POOL_NODE_PREFIX))
                    .hasSizeGreaterThanOrEqualTo(2);
            assertThat(maroon)
                    .allSatisfy(p -> assertThat(p.getSpec().getNodeName())
                            .satisfiesAnyOf(
                                    n -> assertThat(n)
                                            .isEqualTo(Names.nodeName(
                                                    p.getMetadata().getUid())),
                                    n -> assertThat(n).startsWith(Names.POOL_NODE_PREFIX)));

            Summary summary = simulation.summary(simulation.teardown());

            assertThat(summary.problems())
                    .as("bound, no leaks (pool included), isolation held")
                    .isEmpty();
            assertThat(summary.orphans()).isEmpty();
            assertThat(summary.claimedPods()).isGreaterThanOrEqualTo(2);
            assertThat(summary.bootedPods())
                    .as("more pods than pool VMs: some boot their own")
                    .isPositive();
            assertThat(summary.claimedBindP50Seconds()).isLessThan(summary.bootedBindP50Seconds());
            assertThat(SummaryJson.document(summary))
                    .containsEntry("claimedPods", summary.claimedPods())
                    .containsKeys("bootedPods", "claimedBindP50Seconds", "bootedBindP50Seconds");
            assertThat(summary.vmisDeleted())
                    .as("pool VMs created for the pool are deleted too")
                    .isEqualTo(summary.vmisCreated());
        }
    }
}
