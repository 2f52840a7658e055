package io.maroonedpods.api.k3s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 7914 section 12's test vectors (the fourth, N = 2^20, needs 1 GiB and is left out). */
class ScryptTest {
    static String scrypt(String password, String salt, int n, int r, int p) {
        return HexFormat.of()
                .formatHex(Scrypt.derive(
                        password.getBytes(StandardCharsets.UTF_8), salt.getBytes(StandardCharsets.UTF_8), n, r, p, 64));
    }

    @Test
    void emptyPasswordAndSalt() {
        assertThat(scrypt("", "", 16, 1, 1))
                .isEqualTo("77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede2144"
                        + "2fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906");
    }

    @Test
    void passwordNaclWithParallelism16() {
        assertThat(scrypt("password", "NaCl", 1024, 8, 16))
                .isEqualTo("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e7"
                        + "7376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
    }

    @Test
    void pleaseLetMeInWithN16384() {
        assertThat(scrypt("pleaseletmein", "SodiumChloride", 16384, 8, 1))
                .isEqualTo(
                        "7023bdcb3afd7348461c06cd81fd38ebfd"
                                + "a8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887");
    }

    @Test
    void parametersTheRfcForbidsAreRefused() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> scrypt("x", "y", 1000, 8, 1))
                        .getMessage())
                .contains("power of 2");
        assertThat(assertThrows(IllegalArgumentException.class, () -> scrypt("x", "y", 1 << 20, 8, 1))
                        .getMessage())
                .contains("MiB");
    }
}
