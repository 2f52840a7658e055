package io.maroonedpods.provisioner.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class GuardedPatchTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void nothingChangedIsAnEmptyPatch() {
        assertThat(patch("{\"a\":{\"b\":1}}", "{\"a\":{\"b\":1}}").isEmpty()).isTrue();
    }

    @Test
    void aMemberAddedToAMapThatExistsNeedsNoGuard() {
        GuardedPatch patch = patch(
                "{\"metadata\":{\"annotations\":{\"k/1\":\"v\"}}}",
                "{\"metadata\":{\"annotations\":{\"k/1\":\"v\",\"mine\":\"1\"}}}");

        assertThat(patch.ops().toString())
                .isEqualTo("[{\"op\":\"add\",\"path\":\"/metadata/annotations/mine\",\"value\":\"1\"}]");
        assertThat(patch.needsVersion()).isFalse();
    }

    @Test
    void aReplacedOrRemovedMemberIsTestedFirst() {
        GuardedPatch patch = patch("{\"a\":{\"x\":\"old\",\"y\":\"gone\"}}", "{\"a\":{\"x\":\"new\"}}");

        assertThat(patch.ops().toString())
                .contains("{\"op\":\"test\",\"path\":\"/a/x\",\"value\":\"old\"}")
                .contains("{\"op\":\"test\",\"path\":\"/a/y\",\"value\":\"gone\"}")
                .contains("{\"op\":\"replace\",\"path\":\"/a/x\",\"value\":\"new\"}")
                .contains("{\"op\":\"remove\",\"path\":\"/a/y\"}");
        assertThat(patch.ops().get(0).path("op").asText()).isEqualTo("test");
    }

    @Test
    void aChangeInsideAListTestsTheWholeListOnce() {
        GuardedPatch patch = patch(
                "{\"spec\":{\"gates\":[{\"name\":\"a\"},{\"name\":\"b\"}]}}",
                "{\"spec\":{\"gates\":[{\"name\":\"b\"},{\"name\":\"c\"}]}}");

        long tests = 0;
        for (JsonNode op : patch.ops()) {
            tests += op.path("op").asText().equals("test") ? 1 : 0;
        }
        assertThat(tests).isEqualTo(1);
        assertThat(patch.ops().get(0).toString())
                .isEqualTo("{\"op\":\"test\",\"path\":\"/spec/gates\",\"value\":[{\"name\":\"a\"},{\"name\":\"b\"}]}");
        assertThat(patch.needsVersion()).isFalse();
    }

    @Test
    void aWholeMapAddedNeedsTheResourceVersionAsWell() {
        GuardedPatch patch = patch(
                "{\"metadata\":{\"name\":\"p\"}}", "{\"metadata\":{\"name\":\"p\",\"annotations\":{\"mine\":\"1\"}}}");

        assertThat(patch.needsVersion()).isTrue();
        assertThat(patch.body("42", false))
                .endsWith("{\"op\":\"add\",\"path\":\"/metadata/resourceVersion\",\"value\":\"42\"}]");
    }

    @Test
    void aPatchLockedToTheVersionCarriesNoGuards() {
        GuardedPatch patch = patch(
                "{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\"}]}}",
                "{\"status\":{\"phase\":\"Failed\",\"conditions\":[{\"type\":\"Ready\"},{\"type\":\"X\"}]}}");

        assertThat(patch.body("7", true))
                .doesNotContain("\"test\"")
                .contains("\"replace\"")
                .endsWith("{\"op\":\"add\",\"path\":\"/metadata/resourceVersion\",\"value\":\"7\"}]");
        assertThat(patch.body("7", false)).contains("\"test\"").doesNotContain("resourceVersion");
    }

    @Test
    void aHeldMemberIsTestedAsInTheCopyFirstThoughTheChangeDoesNotTouchIt() {
        GuardedPatch patch = GuardedPatch.between(
                json("{\"metadata\":{\"labels\":{\"free\":\"true\"},\"annotations\":{}}}"),
                json("{\"metadata\":{\"labels\":{\"free\":\"true\"},\"annotations\":{\"mine\":\"1\"}}}"),
                java.util.List.of("/metadata/labels"));

        assertThat(patch.ops().get(0).toString())
                .isEqualTo("{\"op\":\"test\",\"path\":\"/metadata/labels\",\"value\":{\"free\":\"true\"}}");
        assertThat(patch.needsVersion()).isFalse();
    }

    @Test
    void aHeldMemberTheCopyLacksCannotBeTestedSoTheVersionGuardsInstead() {
        GuardedPatch patch = GuardedPatch.between(
                json("{\"metadata\":{\"annotations\":{}}}"),
                json("{\"metadata\":{\"annotations\":{\"mine\":\"1\"}}}"),
                java.util.List.of("/metadata/labels"));

        assertThat(patch.ops().toString()).doesNotContain("\"test\"");
        assertThat(patch.needsVersion()).isTrue();
    }

    @Test
    void nothingChangedIsNothingToWriteWhateverIsHeld() {
        assertThat(GuardedPatch.between(json("{\"a\":1}"), json("{\"a\":1}"), java.util.List.of("/a"))
                        .isEmpty())
                .isTrue();
    }

    @Test
    void pointersEscapeSlashesAndTildes() {
        assertThat(GuardedPatch.pointer("metadata", "labels", "a/b~c")).isEqualTo("/metadata/labels/a~1b~0c");
    }

    private static GuardedPatch patch(String before, String after) {
        return GuardedPatch.between(json(before), json(after));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
