package io.maroonedpods.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.OptIn;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.kubevirt.VmiPhase;
import io.maroonedpods.provisioner.config.ConfigView;
import io.maroonedpods.provisioner.events.Reason;
import io.maroonedpods.provisioner.node.NodeVerificationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pod controller's decisions, straight from observations: no operator, no API server. */
class PodPlanTest {
    static final String UID = NodeVerificationTest.UID;
    static final String VM = Names.nodeName(UID);
    static final Instant NOW = Instant.parse("2026-12-05T20:00:00Z");
    static final ConfigView USABLE = new ConfigView(EffectiveConfig.defaults(), null, 1L);

    @Test
    void aDeletedMaroonPodIsTornDownAtOnceWhenItsWatchCannotLoseALivePod() {
        assertThat(PodPlan.plan(seen(pod().build()).deleted(true).vmi(booting()).build()))
                .isEqualTo(new PodAction.TearDown("the pod was deleted", false, false));
    }

    @Test
    void aDeletedPodOfALabelSelectedWatchIsLookedUpFirst() {
        assertThat(PodPlan.plan(seen(pod().build()).deleted(true).mayLose(true).build()))
                .isInstanceOf(PodAction.ConfirmGone.class);
        assertThat(PodPlan.plan(
                        seen(pod().build()).deleted(true).mayLose(true).build().confirmedGone()))
                .isEqualTo(new PodAction.TearDown("the pod was deleted", false, false));
    }

    @Test
    void theDeletionOfAPodThatNeverOptedInAndHasNoVmIsNothing() {
        assertThat(PodPlan.plan(
                        seen(pod().editSpec().withSchedulerName(null).endSpec().build())
                                .deleted(true)
                                .build()))
                .isInstanceOf(PodAction.Nothing.class);
    }

    @Test
    void aPodThatStopsOptingInLosesItsVmAndOurGateUnlessItRunsOnItsNode() {
        Pod optedOut = pod().editSpec().withSchedulerName(null).endSpec().build();
        assertThat(PodPlan.plan(seen(optedOut).vmi(booting()).build()))
                .isEqualTo(new PodAction.TearDown(
                        "the pod no longer opts in to a dedicated VM (" + Names.OPT_IN_LABEL + " removed)",
                        false,
                        true));
        Pod running =
                new PodBuilder(optedOut).editSpec().withNodeName(VM).endSpec().build();
        assertThat(PodPlan.plan(seen(running).vmi(booting()).build())).isInstanceOf(PodAction.Nothing.class);
    }

    @Test
    void aFinishedPodOnItsNodeLosesItsVmButKeepsTheNameLocked() {
        Pod finished = pod().editSpec()
                .withNodeName(VM)
                .endSpec()
                .withNewStatus()
                .withPhase("Succeeded")
                .endStatus()
                .build();
        assertThat(PodPlan.plan(seen(finished).vmi(booting()).build()))
                .isEqualTo(new PodAction.TearDown("the pod is Succeeded", true, false));
    }

    @Test
    void aPodBeingDeletedOnItsNodeKeepsItsVmForItsGracePeriod() {
        Pod deleting = pod().editMetadata()
                .withDeletionTimestamp(NOW.plusSeconds(10).toString())
                .endMetadata()
                .editSpec()
                .withNodeName(VM)
                .endSpec()
                .build();
        assertThat(PodPlan.plan(seen(deleting).vmi(booting()).build()))
                .isEqualTo(new PodAction.Recheck(Duration.ofSeconds(40)));
    }

    @Test
    void anUnusableConfigurationBootsNothingAndSaysWhy() {
        assertThat(PodPlan.plan(seen(pod().build())
                        .config(new ConfigView(null, "spec.x: bad", 1L))
                        .build()))
                .isEqualTo(
                        new PodAction.Refuse(Reason.ConfigInvalid, "spec.x: bad; no VM is created until it is fixed"));
    }

    @Test
    void aPodWithoutAVmBootsOneWhenASlotOrAPoolVmIsThereAndWaitsInLineOtherwise() {
        assertThat(PodPlan.plan(seen(pod().build()).slotFree(true).build()))
                .isInstanceOfSatisfying(PodAction.ClaimOrBoot.class, boot -> {
                    assertThat(boot.record().attempts()).isZero();
                    assertThat(boot.staleNode()).isFalse();
                });
        assertThat(PodPlan.plan(seen(pod().build()).poolVmFits(true).build()))
                .isInstanceOf(PodAction.ClaimOrBoot.class);
        assertThat(PodPlan.plan(seen(pod().build()).build())).isInstanceOf(PodAction.Queue.class);
    }

    @Test
    void aNodeLeftByAnEarlierVmIsReplacedWithTheBoot() {
        assertThat(PodPlan.plan(
                        seen(pod().build()).slotFree(true).node(node().build()).build()))
                .isInstanceOfSatisfying(
                        PodAction.ClaimOrBoot.class,
                        boot -> assertThat(boot.staleNode()).isTrue());
    }

    @Test
    void aPodBoundToANodeThatIsNotItsVmsIsNotOurs() {
        assertThat(PodPlan.plan(
                        seen(pod().editSpec().withNodeName("worker-1").endSpec().build())
                                .build()))
                .isEqualTo(new PodAction.NotOurs("worker-1"));
    }

    @Test
    void aPodOnItsNodeWhoseVmIsGoneIsFailedOnceTheApiServerAgrees() {
        Pod bound = pod().editSpec().withNodeName(VM).endSpec().build();
        assertThat(PodPlan.plan(seen(bound).build())).isEqualTo(new PodAction.FailIfVmLost(VM));
        assertThat(PodPlan.plan(seen(bound).vmi(booting()).node(node().build()).build()))
                .isInstanceOf(PodAction.Nothing.class);
    }

    @Test
    void aNodeThatMatchesItsVmiIsVerifiedAndOneThatDoesNotIsRejected() {
        assertThat(PodPlan.plan(
                        seen(pod().build()).vmi(booting()).node(node().build()).build()))
                .isInstanceOf(PodAction.Verify.class);
        assertThat(PodPlan.plan(seen(pod().build())
                        .vmi(booting())
                        .node(node().editStatus()
                                .editNodeInfo()
                                .withSystemUUID("00000000-0000-4000-8000-000000000000")
                                .endNodeInfo()
                                .endStatus()
                                .build())
                        .build()))
                .isInstanceOf(PodAction.Reject.class);
    }

    @Test
    void aVerifiedNodeSettlesThePodAndOpensTheGateOnlyOnceTheNodeTakesItKeepingTheBootRecord() {
        Pod gated = pod().editMetadata()
                .withAnnotations(Map.of(Names.BOOT_ATTEMPTS_ANNOTATION, "1"))
                .endMetadata()
                .editSpec()
                .addNewSchedulingGate()
                .withName(Names.SCHEDULING_GATE)
                .endSchedulingGate()
                .endSpec()
                .build();
        NodeBuilder verified = node().editMetadata()
                .addToLabels(Names.VERIFIED_POD_UID_LABEL, UID)
                .endMetadata();
        assertThat(PodPlan.plan(
                        seen(gated).vmi(booting()).node(verified.build()).build()))
                .isEqualTo(new PodAction.Settle(false));
        Node ready = verified.editStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();
        assertThat(PodPlan.plan(seen(gated).vmi(booting()).node(ready).build())).isEqualTo(new PodAction.Settle(true));
        Pod ungated = pod().editMetadata()
                .withAnnotations(Map.of(Names.BOOT_ATTEMPTS_ANNOTATION, "1"))
                .endMetadata()
                .build();
        assertThat(PodPlan.plan(
                        seen(ungated).vmi(booting()).node(verified.build()).build()))
                .isEqualTo(new PodAction.Settle(false));
    }

    @Test
    void aVmBootingWithoutThePodsRecordOfItIsABootToFinishAndWithItANodeToWaitFor() {
        VirtualMachineInstance unrecorded = booting();
        assertThat(PodPlan.plan(seen(pod().build()).vmi(unrecorded).build()))
                .isEqualTo(new PodAction.FinishBoot(unrecorded, 1));
        Pod recorded = pod().editMetadata()
                .withAnnotations(Map.of(Names.BOOT_ATTEMPTS_ANNOTATION, "1"))
                .endMetadata()
                .build();
        assertThat(PodPlan.plan(seen(recorded).vmi(booting()).build())).isInstanceOf(PodAction.Recheck.class);
    }

    @Test
    void aFailedVmIsRetriedUntilTheAttemptsRunOut() {
        VirtualMachineInstance failed = booting();
        failed.getStatus().phase = VmiPhase.FAILED;
        assertThat(PodPlan.plan(seen(pod().build()).vmi(failed).build())).isInstanceOf(PodAction.Retry.class);
        Pod lastTry = pod().editMetadata()
                .withAnnotations(Map.of(
                        Names.BOOT_ATTEMPTS_ANNOTATION,
                        String.valueOf(EffectiveConfig.defaults().maxBootAttempts())))
                .endMetadata()
                .build();
        assertThat(PodPlan.plan(seen(lastTry).vmi(failed).build())).isInstanceOf(PodAction.GiveUp.class);
    }

    @Test
    void aPoolVmClaimedOnItsVmiButNotOnItsNodeFinishesTheClaim() {
        VirtualMachineInstance pool = booting();
        pool.getMetadata().setName(Names.POOL_NODE_PREFIX + "abcdefghij");
        pool.getMetadata().setLabels(Map.of(Names.POOL_LABEL, "true", Names.POD_UID_LABEL, UID));
        assertThat(PodPlan.plan(seen(pod().build())
                        .vmName(pool.getMetadata().getName())
                        .vmi(pool)
                        .build()))
                .isEqualTo(new PodAction.FinishClaim(pool));
    }

    static PodBuilder pod() {
        return new PodBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("team-a")
                .withUid(UID)
                .endMetadata()
                .withNewSpec()
                .withSchedulerName(Names.SCHEDULER_NAME)
                .addNewContainer()
                .withName("app")
                .withImage("nginx")
                .endContainer()
                .endSpec();
    }

    /** The pod's VMI, Running for a second, with the address its node reports. */
    static VirtualMachineInstance booting() {
        VirtualMachineInstance vmi = NodeVerificationTest.vmi("10.42.0.7");
        vmi.getMetadata()
                .setAnnotations(Map.of(
                        Names.BOOT_STARTED_ANNOTATION,
                        NOW.minusSeconds(1).toString(),
                        Names.BOOT_ATTEMPTS_ANNOTATION,
                        "1"));
        vmi.getStatus().phase = VmiPhase.RUNNING;
        return vmi;
    }

    static NodeBuilder node() {
        return NodeVerificationTest.node(VM, "10.42.0.7", NodeVerificationTest.FIRMWARE);
    }

    static Seen seen(Pod pod) {
        return new Seen(pod);
    }

    /** An observation, built up from the pod alone: nothing in the caches, no slot, no pool VM. */
    static final class Seen {
        private final Pod pod;
        private boolean deleted;
        private boolean mayLose;
        private String vmName = VM;
        private VirtualMachineInstance vmi;
        private Node node;
        private ConfigView config = USABLE;
        private boolean poolVmFits;
        private boolean slotFree;

        Seen(Pod pod) {
            this.pod = pod;
        }

        Seen deleted(boolean value) {
            deleted = value;
            return this;
        }

        Seen mayLose(boolean value) {
            mayLose = value;
            return this;
        }

        Seen vmName(String value) {
            vmName = value;
            return this;
        }

        Seen vmi(VirtualMachineInstance value) {
            vmi = value;
            return this;
        }

        Seen node(Node value) {
            node = value;
            return this;
        }

        Seen config(ConfigView value) {
            config = value;
            return this;
        }

        Seen poolVmFits(boolean value) {
            poolVmFits = value;
            return this;
        }

        Seen slotFree(boolean value) {
            slotFree = value;
            return this;
        }

        PodObservation build() {
            return new PodObservation(
                    pod,
                    OptIn.isMaroon(pod),
                    deleted,
                    mayLose,
                    vmName,
                    vmi,
                    node,
                    false,
                    config,
                    poolVmFits,
                    slotFree,
                    NOW);
        }
    }
}
