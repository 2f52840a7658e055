package io.maroonedpods.testcluster.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The store's pure decisions: selectors, patches, create/update/delete rules, path parsing. */
class StoreRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00.123Z");
    private static final ResourcePath POD = ResourcePath.parse("/api/v1/namespaces/a/pods/p");

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode labelled(String labels) {
        return json("{'metadata':{'labels':" + labels + "}}");
    }

    @Test
    void labelSelectorsSupportEveryOperatorAndAMissingLabelSatisfiesTheNegativeOnes() {
        JsonNode object = labelled("{'app':'web','tier':'front'}");
        assertThat(LabelSelector.parse("app=web").matches(object)).isTrue();
        assertThat(LabelSelector.parse("app==web,tier=front").matches(object)).isTrue();
        assertThat(LabelSelector.parse("app!=web").matches(object)).isFalse();
        assertThat(LabelSelector.parse("app in (db, web)").matches(object)).isTrue();
        assertThat(LabelSelector.parse("app notin (db,web)").matches(object)).isFalse();
        assertThat(LabelSelector.parse("tier,!gone").matches(object)).isTrue();
        assertThat(LabelSelector.parse("!app").matches(object)).isFalse();
        assertThat(LabelSelector.parse("gone!=x,gone notin (x)").matches(object))
                .isTrue();
        assertThat(LabelSelector.parse("gone").matches(object)).isFalse();
        assertThat(LabelSelector.parse("").matches(object)).isTrue();
        assertThatThrownBy(() -> LabelSelector.parse("a b"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("invalid label selector 'a b'");
    }

    @Test
    void mergePatchMergesObjectsRemovesNullsAndReplacesArrays() {
        ObjectNode stored = json("{'metadata':{'labels':{'a':'1','b':'2'}},'spec':{'list':[1,2]}}");
        ObjectNode patched = Patches.apply(
                "application/merge-patch+json",
                stored,
                json("{'metadata':{'labels':{'a':null,'c':'3'}},'spec':{'list':[9]}}"));
        assertThat(patched).isEqualTo(json("{'metadata':{'labels':{'b':'2','c':'3'}},'spec':{'list':[9]}}"));
        assertThat(stored.path("metadata").path("labels").has("a"))
                .as("the stored object is not changed")
                .isTrue();
    }

    @Test
    void jsonPatchAppliesItsOperationsAndAFailedTestIsInvalid() throws Exception {
        ObjectNode stored = json("{'metadata':{'name':'p'},'spec':{'gates':[{'name':'g'}]}}");
        JsonNode patch = JSON.readTree(
                "[{\"op\":\"remove\",\"path\":\"/spec/gates/0\"},{\"op\":\"add\",\"path\":\"/spec/x\",\"value\":1}]");
        assertThat(Patches.apply("application/json-patch+json", stored, patch))
                .isEqualTo(json("{'metadata':{'name':'p'},'spec':{'gates':[],'x':1}}"));
        JsonNode failing = JSON.readTree("[{\"op\":\"test\",\"path\":\"/metadata/name\",\"value\":\"q\"}]");
        assertThatThrownBy(() -> Patches.apply("application/json-patch+json", stored, failing))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(422));
    }

    @Test
    void strategicMergeAndApplyPatchesAreUnsupportedMediaTypes() {
        for (String type : new String[] {Patches.STRATEGIC_MERGE_PATCH, Patches.APPLY_PATCH}) {
            assertThatThrownBy(() -> Patches.apply(type, json("{}"), json("{}")))
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.code()).isEqualTo(415))
                    .hasMessageContaining(type);
        }
    }

    @Test
    void createGivesIdentityFromThePathAndGenerateName() {
        ObjectNode created = ObjectRules.created(
                ResourcePath.parse("/api/v1/namespaces/a/pods"),
                json("{'metadata':{'generateName':'web-','resourceVersion':'9'}}"),
                "uid-1",
                NOW,
                "x2b4z");
        assertThat(created.path("metadata"))
                .isEqualTo(json("{'generateName':'web-','name':'web-x2b4z','namespace':'a',"
                        + "'uid':'uid-1','creationTimestamp':'2026-11-25T10:00:00Z','generation':1}"));
        assertThat(created.path("apiVersion").asText()).isEqualTo("v1");
        assertThatThrownBy(() -> ObjectRules.created(
                        ResourcePath.parse("/api/v1/namespaces/a/pods"),
                        json("{'metadata':{'name':'p','namespace':'b'}}"),
                        "u",
                        NOW,
                        "s"))
                .hasMessageContaining("does not match the namespace");
        assertThatThrownBy(() -> ObjectRules.created(
                        ResourcePath.parse("/api/v1/nodes"), json("{'metadata':{}}"), "u", NOW, "s"))
                .hasMessageContaining("name or generateName is required");
    }

    @Test
    void anUpdateWithAStaleResourceVersionIsAConflict() {
        ObjectNode stored = json("{'metadata':{'name':'p','uid':'u','resourceVersion':'5'}}");
        assertThatThrownBy(() ->
                        ObjectRules.updated(POD, true, stored, json("{'metadata':{'name':'p','resourceVersion':'4'}}")))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(409))
                .hasMessage(
                        "Operation cannot be fulfilled on pods \"p\": the object has been modified; please apply your "
                                + "changes to the latest version and try again");
        assertThat(ObjectRules.updated(POD, true, stored, json("{'metadata':{'name':'p','annotations':{'a':'b'}}}"))
                        .path("metadata")
                        .path("uid")
                        .asText())
                .as("no resourceVersion: an unconditional update, identity kept")
                .isEqualTo("u");
    }

    @Test
    void anUpdateNamingAnotherObjectsUidIsAConflict() {
        ObjectNode stored = json("{'metadata':{'name':'p','uid':'u','resourceVersion':'5'}}");
        assertThatThrownBy(
                        () -> ObjectRules.updated(POD, true, stored, json("{'metadata':{'name':'p','uid':'earlier'}}")))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(409))
                .hasMessage("Operation cannot be fulfilled on pods \"p\": Precondition failed: UID in precondition: "
                        + "earlier, UID in object meta: u");
        assertThat(ObjectRules.updated(POD, true, stored, json("{'metadata':{'name':'p','uid':'u'}}"))
                        .path("metadata")
                        .path("resourceVersion")
                        .asText())
                .as("its own uid: the update goes through")
                .isEqualTo("5");
    }

    @Test
    void statusIsWrittenOnlyThroughTheStatusSubresourceWhereThereIsOne() {
        ObjectNode stored =
                json("{'metadata':{'name':'p','resourceVersion':'5'},'spec':{'x':1},'status':{'phase':'Pending'}}");
        ObjectNode body = json("{'metadata':{'name':'p'},'spec':{'x':2},'status':{'phase':'Running'}}");
        ObjectNode main = ObjectRules.updated(POD, true, stored, body);
        assertThat(main.path("spec").path("x").asInt()).isEqualTo(2);
        assertThat(main.path("status").path("phase").asText()).isEqualTo("Pending");
        assertThat(main.path("metadata").path("generation").asInt())
                .as("spec changed")
                .isEqualTo(2);
        ObjectNode status =
                ObjectRules.updated(ResourcePath.parse("/api/v1/namespaces/a/pods/p/status"), true, stored, body);
        assertThat(status.path("spec").path("x").asInt()).isEqualTo(1);
        assertThat(status.path("status").path("phase").asText()).isEqualTo("Running");
        ObjectNode vmi = ObjectRules.updated(
                ResourcePath.parse("/apis/kubevirt.io/v1/namespaces/a/virtualmachineinstances/p"), false, stored, body);
        assertThat(vmi.path("status").path("phase").asText())
                .as("no status subresource")
                .isEqualTo("Running");
    }

    @Test
    void deleteChecksPreconditionsAndWaitsForFinalizers() {
        ObjectNode stored = json("{'metadata':{'name':'p','uid':'u','resourceVersion':'5'}}");
        assertThat(ObjectRules.deletion("pods", stored, null, NOW)).isInstanceOf(ObjectRules.Remove.class);
        assertThatThrownBy(() -> ObjectRules.deletion("pods", stored, json("{'preconditions':{'uid':'other'}}"), NOW))
                .hasMessage(
                        "Operation cannot be fulfilled on pods \"p\": Precondition failed: UID in precondition: other, "
                                + "UID in object meta: u");
        assertThatThrownBy(() ->
                        ObjectRules.deletion("pods", stored, json("{'preconditions':{'resourceVersion':'4'}}"), NOW))
                .hasMessageContaining("ResourceVersion in precondition: 4, ResourceVersion in object meta: 5");
        ObjectNode finalized = json("{'metadata':{'name':'p','uid':'u','finalizers':['f']}}");
        var deletion = ObjectRules.deletion("pods", finalized, json("{'gracePeriodSeconds':30}"), NOW);
        assertThat(deletion).isInstanceOfSatisfying(ObjectRules.MarkDeleting.class, mark -> {
            assertThat(mark.updated().path("metadata").path("deletionTimestamp").asText())
                    .isEqualTo("2026-11-25T10:00:00Z");
            assertThat(mark.updated()
                            .path("metadata")
                            .path("deletionGracePeriodSeconds")
                            .asInt())
                    .isEqualTo(30);
            assertThat(ObjectRules.finalized(mark.updated())).isFalse();
        });
        assertThat(ObjectRules.finalized(json("{'metadata':{'deletionTimestamp':'t','finalizers':[]}}")))
                .isTrue();
    }

    @Test
    void pathsNameTheResourceNamespaceObjectAndSubresource() {
        assertThat(ResourcePath.parse("/api/v1/namespaces/a/pods/p/status"))
                .isEqualTo(new ResourcePath("", "v1", "pods", "a", "p", "status"));
        assertThat(ResourcePath.parse("/apis/kubevirt.io/v1/virtualmachineinstances"))
                .isEqualTo(new ResourcePath("kubevirt.io", "v1", "virtualmachineinstances", null, null, null));
        assertThat(ResourcePath.parse("/api/v1/namespaces/a"))
                .isEqualTo(new ResourcePath("", "v1", "namespaces", null, "a", null));
        assertThat(ResourcePath.parse("/api/v1/namespaces/a/status"))
                .isEqualTo(new ResourcePath("", "v1", "namespaces", null, "a", "status"));
        assertThat(ResourcePath.parse("/api/v1/nodes/n/status"))
                .isEqualTo(new ResourcePath("", "v1", "nodes", null, "n", "status"));
        assertThat(ResourcePath.parse("/apis")).isNull();
    }
}
