package io.maroonedpods.testcluster.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** What an update or patch may change in a pod's spec, as kube-apiserver's ValidatePodUpdate decides. */
class PodUpdatesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTAINERS = "'containers':[{'name':'app','image':'nginx:1'}]";
    private static final String TOLERATION =
            "{'key':'k','operator':'Exists','effect':'NoExecute','tolerationSeconds':300}";

    private static JsonNode pod(String spec) {
        try {
            return JSON.readTree(("{'metadata':{'name':'web'},'spec':{" + spec + "}}").replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void allowed(String before, String after) {
        assertThatCode(() -> PodUpdates.check(pod(before), pod(after)))
                .as(before + " -> " + after)
                .doesNotThrowAnyException();
    }

    private static String refusal(String before, String after) {
        try {
            PodUpdates.check(pod(before), pod(after));
        } catch (ApiException e) {
            assertThat(e.code()).isEqualTo(422);
            assertThat(e.reason()).isEqualTo("Invalid");
            return e.getMessage();
        }
        throw new AssertionError("allowed: " + before + " -> " + after);
    }

    @Test
    void settingNodeNameIsRefusedAsKubeApiserverRefusesItOnlyABindingSetsIt() {
        assertThat(refusal(CONTAINERS, CONTAINERS + ",'nodeName':'vm-1'"))
                .startsWith(
                        "Pod \"web\" is invalid: spec: Forbidden: pod updates may not change fields other than "
                                + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
                                + "`spec.tolerations` (only additions to existing tolerations),"
                                + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)")
                .endsWith("changed: [spec.nodeName]");
        assertThat(refusal(CONTAINERS + ",'nodeName':'vm-1'", CONTAINERS + ",'nodeName':'vm-2'"))
                .contains("[spec.nodeName]");
        assertThat(refusal(CONTAINERS + ",'nodeName':'vm-1'", CONTAINERS)).contains("[spec.nodeName]");
    }

    @Test
    void otherSpecFieldsAreRefusedToo() {
        assertThat(refusal(CONTAINERS, CONTAINERS + ",'schedulerName':'other'")).contains("[spec.schedulerName]");
        assertThat(refusal(CONTAINERS, "'containers':[{'name':'app','image':'nginx:1','args':['x']}]"))
                .contains("[spec.containers]");
    }

    @Test
    void imagesActiveDeadlineLoweredAndMetadataOnlyChangesAreAllowed() {
        allowed(CONTAINERS, "'containers':[{'name':'app','image':'nginx:2'}]");
        allowed(CONTAINERS, CONTAINERS + ",'activeDeadlineSeconds':60");
        allowed(CONTAINERS + ",'activeDeadlineSeconds':60", CONTAINERS + ",'activeDeadlineSeconds':30");
        allowed(CONTAINERS + ",'terminationGracePeriodSeconds':-1", CONTAINERS + ",'terminationGracePeriodSeconds':1");
        allowed(CONTAINERS, CONTAINERS);
    }

    @Test
    void activeDeadlineSecondsMayNotRiseNorGo() {
        assertThat(refusal(CONTAINERS + ",'activeDeadlineSeconds':30", CONTAINERS + ",'activeDeadlineSeconds':60"))
                .isEqualTo("Pod \"web\" is invalid: spec.activeDeadlineSeconds: Invalid value: 60: must be less than "
                        + "or equal to previous value");
        assertThat(refusal(CONTAINERS + ",'activeDeadlineSeconds':30", CONTAINERS))
                .contains("must not update from a positive integer to nil value");
    }

    @Test
    void containersMayNotBeAddedOrRemovedNorLoseTheirImage() {
        assertThat(refusal(CONTAINERS, "'containers':[]"))
                .isEqualTo("Pod \"web\" is invalid: spec.containers: Forbidden: pod updates may not add or remove "
                        + "containers");
        assertThat(refusal(CONTAINERS, "'containers':[{'name':'app','image':''}]"))
                .contains("spec.containers[0].image: Required value");
    }

    @Test
    void tolerationsMayBeAddedAndTheirSecondsChangedButNotRemovedOrOtherwiseChanged() {
        String one = CONTAINERS + ",'tolerations':[" + TOLERATION + "]";
        allowed(CONTAINERS, one);
        allowed(one, CONTAINERS + ",'tolerations':[" + TOLERATION + ",{'key':'dedicated','operator':'Exists'}]");
        allowed(one, one.replace("300", "60"));
        assertThat(refusal(one, CONTAINERS))
                .isEqualTo("Pod \"web\" is invalid: spec.tolerations: Forbidden: existing toleration can not be "
                        + "modified except its tolerationSeconds");
        assertThat(refusal(one, one.replace("NoExecute", "NoSchedule"))).contains("spec.tolerations: Forbidden");
    }

    @Test
    void schedulingGatesMayOnlyBeRemoved() {
        String gated = CONTAINERS + ",'schedulingGates':[{'name':'a'},{'name':'b'}]";
        allowed(gated, CONTAINERS + ",'schedulingGates':[{'name':'b'}]");
        allowed(gated, CONTAINERS);
        assertThat(refusal(CONTAINERS, CONTAINERS + ",'schedulingGates':[{'name':'late'}]"))
                .isEqualTo("Pod \"web\" is invalid: spec.schedulingGates[0].name: Forbidden: only deletion is "
                        + "allowed, but found new scheduling gate 'late'");
    }

    @Test
    void aGatedPodsNodeSelectorMayGainEntriesButNotChangeThemAndAnUngatedPodsMayNotChangeAtAll() {
        String gated = CONTAINERS + ",'schedulingGates':[{'name':'a'}],'nodeSelector':{'zone':'a'}";
        allowed(gated, gated.replace("{'zone':'a'}", "{'zone':'a','disk':'ssd'}"));
        assertThat(refusal(gated, gated.replace("{'zone':'a'}", "{'zone':'b'}")))
                .contains("only additions to spec.nodeSelector are allowed (no mutations or deletions)");
        String ungated = CONTAINERS + ",'nodeSelector':{'zone':'a'}";
        assertThat(refusal(ungated, ungated.replace("{'zone':'a'}", "{'zone':'a','disk':'ssd'}")))
                .contains("[spec.nodeSelector]");
    }

    @Test
    void aGatedPodsRequiredNodeAffinityTermsMayOnlyGainRequirements() {
        String expression = "{'key':'zone','operator':'In','values':['a']}";
        String gated = CONTAINERS + ",'schedulingGates':[{'name':'a'}],'affinity':{'nodeAffinity':"
                + "{'requiredDuringSchedulingIgnoredDuringExecution':{'nodeSelectorTerms':[{'matchExpressions':["
                + expression + "]}]}}}";
        allowed(CONTAINERS + ",'schedulingGates':[{'name':'a'}]", gated);
        allowed(gated, gated.replace(expression, expression + ",{'key':'disk','operator':'Exists'}"));
        assertThat(refusal(gated, gated.replace("'values':['a']", "'values':['b']")))
                .contains("nodeSelectorTerms[0]: Invalid value: only additions are allowed");
        assertThat(refusal(gated, gated.replace("[{'matchExpressions'", "[{},{'matchExpressions'")))
                .contains("no additions/deletions to non-empty NodeSelectorTerms list are allowed");
    }

    @Test
    void aMissingMemberNullAndAnEmptyListOrMapAreAlike() {
        allowed(CONTAINERS, CONTAINERS + ",'tolerations':[],'nodeSelector':{},'hostname':null");
        allowed(CONTAINERS + ",'priority':0", CONTAINERS + ",'priority':0.0");
    }
}
