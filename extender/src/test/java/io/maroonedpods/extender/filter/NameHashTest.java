package io.maroonedpods.extender.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NameHashTest {

    @Test
    void aNameHashesTheSameInARequestBodyAsDecoded() {
        for (int length = 0; length <= 24; length++) {
            String name = "maroon-0123456789abcdef".repeat(2).substring(0, length);
            byte[] quoted = ("[\"" + name + "\",\"worker-1\"]").getBytes(StandardCharsets.UTF_8);
            byte[] atTheEnd = ("[\"" + name).getBytes(StandardCharsets.UTF_8);

            assertThat(NameHash.of(quoted, 2, length))
                    .as("%s inside a body", name)
                    .isEqualTo(NameHash.of(name));
            assertThat(NameHash.of(atTheEnd, 2, length))
                    .as("%s ending the array", name)
                    .isEqualTo(NameHash.of(name));
        }
    }

    @Test
    void namesThatDifferInOneByteAnywhereHashApart() {
        String name = "ip-10-0-12-34.eu-west-1.compute.internal";
        for (int at = 0; at < name.length(); at++) {
            String other = name.substring(0, at) + (char) (name.charAt(at) ^ 1) + name.substring(at + 1);
            assertThat(NameHash.of(other)).as(other).isNotEqualTo(NameHash.of(name));
        }
        assertThat(NameHash.of(name + "\0")).as("a trailing zero byte").isNotEqualTo(NameHash.of(name));
    }
}
