package io.maroonedpods.testcluster.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Field selectors as kube-apiserver accepts and evaluates them, resource by resource. */
class FieldSelectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ServedResources SERVED = ServedResources.builtIns();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static SelectableFields fields(String group, String plural) {
        return SERVED.find(group, "v1", plural).orElseThrow().fields();
    }

    private static boolean selects(String group, String plural, String selector, String object) {
        return FieldSelector.parse(selector, fields(group, plural)).matches(json(object));
    }

    private static void refused(String group, String plural, String selector, String message) {
        assertThatThrownBy(() -> FieldSelector.parse(selector, fields(group, plural)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.reason()).isEqualTo("BadRequest");
                })
                .hasMessage(message);
    }

    @Test
    void podsSelectByTheFieldsTheProvisionerWatchesIncludingAnEmptyNodeName() {
        String pod = "{'metadata':{'name':'p','namespace':'a'},'spec':{'schedulerName':'maroon-scheduler'}}";
        assertThat(selects("", "pods", "spec.schedulerName=maroon-scheduler,spec.nodeName=", pod))
                .isTrue();
        assertThat(selects("", "pods", "spec.schedulerName==maroon-scheduler", pod))
                .isTrue();
        assertThat(selects("", "pods", "spec.nodeName!=", pod)).isFalse();
        assertThat(selects("", "pods", "metadata.namespace=a,metadata.name=p", pod))
                .isTrue();
        assertThat(selects("", "pods", "spec.host=", pod))
                .as("the old v1 name of spec.nodeName")
                .isTrue();
    }

    @Test
    void podFieldsReadAsKubeApiserverStoresThemAfterDefaulting() {
        String bare = "{'metadata':{'name':'p','namespace':'a'},'spec':{}}";
        assertThat(selects("", "pods", "spec.schedulerName=default-scheduler", bare))
                .isTrue();
        assertThat(selects("", "pods", "spec.restartPolicy=Always", bare)).isTrue();
        assertThat(selects("", "pods", "spec.hostNetwork=false", bare)).isTrue();
        assertThat(selects("", "pods", "spec.serviceAccountName=default", bare)).isTrue();
        assertThat(selects("", "pods", "status.phase=Pending", bare)).isTrue();
        assertThat(selects(
                        "",
                        "pods",
                        "status.podIP=10.0.0.2",
                        "{'status':{'podIP':'10.0.0.1','podIPs':[{'ip':'10.0.0.2'}]}}"))
                .as("the first of podIPs")
                .isTrue();
        assertThat(selects("", "pods", "status.podIPs=10.0.0.2", "{'status':{'podIPs':[{'ip':'10.0.0.2'}]}}"))
                .as("accepted, but not in the field set: it reads as empty")
                .isFalse();
    }

    @Test
    void aFieldAPodDoesNotSupportIsABadRequestInKubeApiserversWords() {
        refused("", "pods", "spec.containers=x", "field label not supported: spec.containers");
        refused("", "pods", "metadata.labels=x", "field label not supported: metadata.labels");
        refused(
                "",
                "pods",
                "spec.nodeName",
                "invalid field selector requirement 'spec.nodeName': must be field=value, "
                        + "field==value or field!=value");
    }

    @Test
    void nodesSelectOnlyByNameAndUnschedulableAndHaveNoNamespace() {
        assertThat(selects("", "nodes", "spec.unschedulable=false", "{'metadata':{'name':'n'},'spec':{}}"))
                .isTrue();
        assertThat(selects(
                        "",
                        "nodes",
                        "spec.unschedulable=true",
                        "{'metadata':{'name':'n'},'spec':{'unschedulable':true}}"))
                .isTrue();
        assertThat(selects("", "nodes", "metadata.name=n", "{'metadata':{'name':'n'}}"))
                .isTrue();
        refused("", "nodes", "metadata.namespace=", "field label not supported: metadata.namespace");
        refused("", "nodes", "spec.providerID=x", "field label not supported: spec.providerID");
    }

    @Test
    void secretsSelectByTypeWhichDefaultsToOpaque() {
        assertThat(selects("", "secrets", "type=Opaque", "{'metadata':{'name':'s'}}"))
                .isTrue();
        assertThat(selects(
                        "",
                        "secrets",
                        "type=bootstrap.kubernetes.io/token",
                        "{'metadata':{'name':'s'},'type':'bootstrap.kubernetes.io/token'}"))
                .isTrue();
        refused("", "secrets", "data.token=x", "field label not supported: data.token");
    }

    @Test
    void namespacesSelectByPhaseWhichStartsActive() {
        assertThat(selects("", "namespaces", "status.phase=Active", "{'metadata':{'name':'a'}}"))
                .isTrue();
        refused("", "namespaces", "metadata.namespace=a", "field label not supported: metadata.namespace");
    }

    @Test
    void resourcesWithoutTheirOwnConversionSupportOnlyMetadataInTheDefaultWording() {
        assertThat(selects(
                        "coordination.k8s.io",
                        "leases",
                        "metadata.name=l",
                        "{'metadata':{'name':'l','namespace':'a'}}"))
                .isTrue();
        refused(
                "coordination.k8s.io",
                "leases",
                "spec.holderIdentity=x",
                "\"spec.holderIdentity\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
        refused(
                "",
                "configmaps",
                "data.k=v",
                "\"data.k\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
    }

    @Test
    void coreEventsSelectByTheirInvolvedObjectAndSource() {
        String event = "{'metadata':{'name':'e','namespace':'a'},'involvedObject':{'kind':'Pod','name':'p','uid':'u'},"
                + "'reason':'Bound','type':'Normal','reportingComponent':'maroonedpods-extender'}";
        assertThat(selects("", "events", "involvedObject.name=p,involvedObject.kind=Pod,involvedObject.uid=u", event))
                .isTrue();
        assertThat(selects("", "events", "source=maroonedpods-extender", event))
                .as("no source.component: the reporter")
                .isTrue();
        assertThat(selects("", "events", "reason=Bound,type=Normal", event)).isTrue();
        refused("", "events", "regarding.name=p", "field label not supported: regarding.name");
    }

    @Test
    void eventsV1SelectByRegardingAndReportingControllerButNotByTheCoreNames() {
        String event = "{'metadata':{'name':'e','namespace':'a'},'regarding':{'kind':'Pod','name':'p'},"
                + "'reason':'VmiCreated','reportingController':'maroonedpods.io/provisioner'}";
        assertThat(selects("events.k8s.io", "events", "regarding.name=p,regarding.kind=Pod", event))
                .isTrue();
        assertThat(selects("events.k8s.io", "events", "reportingController=maroonedpods.io/provisioner", event))
                .isTrue();
        assertThat(selects("events.k8s.io", "events", "reason=VmiCreated", event))
                .isTrue();
        refused("events.k8s.io", "events", "involvedObject.name=p", "field label not supported: involvedObject.name");
        refused("events.k8s.io", "events", "note=x", "field label not supported: note");
    }
}
