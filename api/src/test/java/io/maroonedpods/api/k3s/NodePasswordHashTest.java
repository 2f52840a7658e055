package io.maroonedpods.api.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The hash format of k3s's node password Secrets, against hashes made by an independent implementation: Python's
 * {@code hashlib.scrypt} (OpenSSL's scrypt) formatted as k3s's {@code hashFormat} "$%d:%x:%d:%d:%d:%s" with unpadded
 * standard base64, e.g. for the first one:
 * <pre>
 * dk = hashlib.scrypt(b"5f2c0a6e8d1b4c3a9e7f60d2b1a4c8e3", salt=bytes.fromhex("0011223344556677"), n=1 &lt;&lt; 15,
 *                     r=8, p=1, dklen=64, maxmem=128 * 1024 * 1024)
 * "$1:%s:%d:%d:%d:%s" % (salt.hex(), 15, 8, 1, base64.b64encode(dk).decode().rstrip("="))
 * </pre>
 * (k3s's own tests draw a random salt and only check that a hash verifies, so they hold no fixed vectors.)
 */
class NodePasswordHashTest {
    static final String PASSWORD = "5f2c0a6e8d1b4c3a9e7f60d2b1a4c8e3";
    /** k3s's own parameters (N = 2^15, r = 8, p = 1). */
    static final String K3S_COST_HASH =
            "$1:0011223344556677:15:8:1:mU9goHvlgp0l9mhV7/0ziPvYltBvItZgaHFUiZdzZ6R3vabQ1g5AC"
                    + "Ua3aytc9xl4JRGr5ZHSNim2kW+r0lesVA";
    /** The provisioner's parameters (N = 2^4). */
    static final String PROVISIONER_COST_HASH =
            "$1:a1b2c3d4e5f60718:4:8:1:ZjCJxJq3ZYmYUfivP6Wz4i/N2OcYlGc2inpAx3gjqB4PnHBY"
                    + "HxPj2QPasU7F6sUPpSJqnj1I3KPUlYUZ6eJj5A";

    static final String HELLO_WORLD_HASH =
            "$1:deadbeefcafef00d:15:8:1:jjxPMxJtjLEToNC42An8MqjNzslt8rgelDhJYfhOZpnRwddNz"
                    + "lwe+Kw1VSU78Y+99efvIc1xVUWFLuGRzcev1w";

    @Test
    void makesTheHashAnotherImplementationMakesFromTheSameSalt() {
        assertThat(NodePasswordHash.create(
                        PASSWORD, HexFormat.of().parseHex("0011223344556677"), NodePasswordHash.K3S_DEFAULT))
                .isEqualTo(K3S_COST_HASH);
        assertThat(NodePasswordHash.create(
                        PASSWORD, HexFormat.of().parseHex("a1b2c3d4e5f60718"), NodePasswordHash.PROVISIONER))
                .isEqualTo(PROVISIONER_COST_HASH);
    }

    @Test
    void verifiesHashesWithTheParametersTheyName() {
        assertThat(NodePasswordHash.matches(K3S_COST_HASH, PASSWORD)).isTrue();
        assertThat(NodePasswordHash.matches(PROVISIONER_COST_HASH, PASSWORD)).isTrue();
        assertThat(NodePasswordHash.matches(HELLO_WORLD_HASH, "hello world")).isTrue();
    }

    @Test
    void refusesAnotherPassword() {
        assertThat(NodePasswordHash.matches(PROVISIONER_COST_HASH, PASSWORD.replace('5', '6')))
                .isFalse();
        assertThat(NodePasswordHash.matches(HELLO_WORLD_HASH, "hello world ")).isFalse();
        assertThat(NodePasswordHash.matches(PROVISIONER_COST_HASH, "")).isFalse();
    }

    @Test
    void aHashThatDoesNotParseMatchesNothing() {
        assertThat(NodePasswordHash.matches(PROVISIONER_COST_HASH.replace("$1:", "$2:"), PASSWORD))
                .as("version")
                .isFalse();
        assertThat(NodePasswordHash.matches("not a hash", PASSWORD)).isFalse();
        assertThat(NodePasswordHash.matches("$1:zz:10:8:1:AAAA", PASSWORD))
                .as("salt")
                .isFalse();
        assertThat(NodePasswordHash.matches("$1:a1b2c3d4e5f60718:40:8:1:AAAA", PASSWORD))
                .as("N")
                .isFalse();
        assertThat(NodePasswordHash.matches(null, PASSWORD)).isFalse();
    }

    @Test
    void aFreshPasswordHasTheFormOfK3sOwnAndVerifiesAgainstItsHash() {
        SecureRandom random = new SecureRandom();
        String password = NodePasswordHash.newPassword(random);
        String hash = NodePasswordHash.create(password, random, NodePasswordHash.PROVISIONER);

        assertThat(password).matches("[0-9a-f]{32}").isNotEqualTo(NodePasswordHash.newPassword(random));
        assertThat(hash).matches("\\$1:[0-9a-f]{16}:4:8:1:[A-Za-z0-9+/]{86}");
        assertThat(NodePasswordHash.matches(hash, password)).isTrue();
    }
}
