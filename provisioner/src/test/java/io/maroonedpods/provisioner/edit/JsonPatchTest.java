package io.maroonedpods.provisioner.edit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonPatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anUnchangedObjectGivesNoOps() {
        String pod = "{\"metadata\":{\"name\":\"web\",\"labels\":{\"a\":\"1\"}},\"spec\":{\"tolerations\":[{\"key\":\"k\"}]}}";
        assertThat(patch(pod, pod)).isEqualTo("[]");
    }

    @Test
    void onlyTheChangedMembersAreSetWithSlashesEscaped() {
        assertThat(patch("{\"metadata\":{\"name\":\"web\",\"annotations\":{\"a\":\"1\",\"x.io/b\":\"2\"}}}",
                "{\"metadata\":{\"name\":\"web\",\"annotations\":{\"a\":\"1\",\"x.io/b\":\"3\",\"c~d\":\"4\"}}}"))
                .isEqualTo("[{\"op\":\"add\",\"path\":\"/metadata/annotations/x.io~1b\",\"value\":\"3\"},"
                        + "{\"op\":\"add\",\"path\":\"/metadata/annotations/c~0d\",\"value\":\"4\"}]");
    }

    @Test
    void aMemberThatWentAwayOrBecameNullIsRemoved() {
        assertThat(patch("{\"metadata\":{\"annotations\":{\"a\":\"1\",\"b\":\"2\"}}}",
                "{\"metadata\":{\"annotations\":{\"a\":\"1\"}}}"))
                .isEqualTo("[{\"op\":\"remove\",\"path\":\"/metadata/annotations/b\"}]");
        assertThat(patch("{\"metadata\":{\"annotations\":{\"a\":\"1\"}}}", "{\"metadata\":{\"annotations\":null}}"))
                .isEqualTo("[{\"op\":\"remove\",\"path\":\"/metadata/annotations\"}]");
    }

    @Test
    void aChangedArrayIsSetWhole() {
        assertThat(patch("{\"spec\":{\"schedulingGates\":[{\"name\":\"ours\"},{\"name\":\"theirs\"}]}}",
                "{\"spec\":{\"schedulingGates\":[{\"name\":\"theirs\"}]}}"))
                .isEqualTo("[{\"op\":\"add\",\"path\":\"/spec/schedulingGates\",\"value\":[{\"name\":\"theirs\"}]}]");
    }

    @Test
    void aMemberThatAppearsOrChangesTypeIsSet() {
        assertThat(patch("{\"a\":{\"b\":1}}", "{\"a\":\"flat\",\"spec\":{\"x\":[]}}"))
                .isEqualTo("[{\"op\":\"add\",\"path\":\"/a\",\"value\":\"flat\"},"
                        + "{\"op\":\"add\",\"path\":\"/spec\",\"value\":{\"x\":[]}}]");
    }

    private static String patch(String before, String after) {
        try {
            return JsonPatch.between(JSON.readTree(before), JSON.readTree(after)).toString();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
