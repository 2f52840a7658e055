package io.maroonedpods.extender.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.maroonedpods.api.Names;
import io.maroonedpods.extender.Fixtures;
import io.maroonedpods.extender.filter.CandidateNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NodeNames as kube-scheduler sends them (plain names, the body's last field) are found without the JSON parser;
 * anything else goes through it. Both ways must read the same names, and refuse the same bodies; and the names read
 * as byte spans must answer exactly what the same names decoded to Strings answer ({@link CandidateNames#of}).
 */
class NameSpansTest {
    private static final ExtenderArgsReader READER =
            new ExtenderArgsReader(Names.DEDICATED_TAINT, Names.SCHEDULER_NAME);
    private static final String POD = Fixtures.ordinaryPodJson();

    @Test
    void plainNamesEndingTheBodyAreReadWithoutTheParser() {
        String body = "{\"Pod\":" + POD + ",\"Nodes\":null,\"NodeNames\":[\"worker-1\", \"maroon-a\" ,\"w\"] }\n";
        int open = body.indexOf("\"NodeNames\":[") + "\"NodeNames\":".length();

        NameSpans names = NameSpans.closingTheBody(bytes(body), open);

        assertThat(names).isNotNull();
        assertThat(List.of(names.name(0), names.name(1), names.name(2))).containsExactly("worker-1", "maroon-a", "w");
    }

    @Test
    void anythingButPlainNamesEndingTheBodyIsLeftToTheParser() {
        for (String array : List.of(
                "[\"a\\u002db\"]",
                "[\"caf\u00e9\"]",
                "[\"a\tb\"]",
                "[\"a\",]",
                "[\"a\" \"b\"]",
                "[\"a\",7]",
                "[\"a\"",
                "[\"a\"]}x",
                "[\"a\"],\"Error\":null}")) {
            String body = "{\"Pod\":" + POD + ",\"NodeNames\":" + array + (array.endsWith("]") ? "}" : "");
            assertThat(NameSpans.closingTheBody(bytes(body), body.indexOf(array)))
                    .as(array)
                    .isNull();
        }
    }

    @Test
    void theSameNamesAreReadWhetherOrNotTheyEndTheBody() throws IOException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            names.add(i % 7 == 0 ? Names.nodeName("uid-" + i) : "worker-" + "x".repeat(i % 13) + i);
        }
        String list = Fixtures.namesArgs(POD, names);
        String last = list.substring(list.indexOf("\"NodeNames\":"), list.length() - 1);
        String first = "{" + last + ",\"Pod\":" + POD + ",\"Nodes\":null}";

        NameSpans fast = READER.read(bytes(list)).nodeNames();
        NameSpans parsed = READER.read(bytes(first)).nodeNames();

        assertThat(fast.size()).isEqualTo(names.size()).isEqualTo(parsed.size());
        for (int i = 0; i < names.size(); i++) {
            assertThat(fast.name(i)).isEqualTo(names.get(i)).isEqualTo(parsed.name(i));
            assertThat(fast.hash(i)).isEqualTo(parsed.hash(i));
        }
    }

    @Test
    void namesReadAsByteSpansAnswerWhatTheSameNamesDecodedAnswer() throws IOException {
        List<String> bodies = List.of(
                Fixtures.namesArgs(POD, List.of("worker-1", Names.nodeName("uid-1"), "maroon", "m", "")),
                "{\"Pod\":" + POD + ",\"NodeNames\":[\"e\\u0064ge-1\",\"maroon\\u002duid-2\",\"w\"]}",
                "{\"Pod\":" + POD + ",\"NodeNames\":[\"caf\u00e9\",\"n\u00f6de-\\u00e9\"],\"Nodes\":null}",
                "{\"NodeNames\":[ \"a\" , \"maroon-b\" ],\"Pod\":" + POD + "}");
        for (String body : bodies) {
            NameSpans spans = READER.read(bytes(body)).nodeNames();
            List<String> decoded = new ArrayList<>();
            for (JsonNode name : WireJson.MAPPER.readTree(body).get("NodeNames")) {
                decoded.add(name.textValue());
            }
            CandidateNames strings = CandidateNames.of(decoded);

            assertThat(spans.size()).as(body).isEqualTo(strings.size());
            for (int i = 0; i < strings.size(); i++) {
                assertThat(spans.name(i)).as(body).isEqualTo(strings.name(i));
                assertThat(spans.hash(i)).as(strings.name(i)).isEqualTo(strings.hash(i));
                assertThat(spans.startsWith(i, Names.NODE_PREFIX))
                        .as(strings.name(i))
                        .isEqualTo(strings.startsWith(i, Names.NODE_PREFIX));
            }
        }
    }

    @Test
    void aBodyTheParserRefusesIsRefusedThoughItsNamesArePlain() {
        assertThatThrownBy(() -> READER.read(bytes("{\"Pod\":" + POD + ",\"Nodes\":null,\"NodeNames\":[\"a\"]}}")))
                .hasMessageContaining("Unexpected close marker");
        assertThatThrownBy(() -> READER.read(bytes("{\"Pod\":" + POD + ",\"Nodes\":null,\"NodeNames\":[\"a\"]} {}")))
                .hasMessage("request body: unexpected data after the JSON object");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
