package io.maroonedpods.provisioner.join;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a Secret named by spec.join.tokenSecretRef may hold: only the CA pin is ever taken from it. */
class JoinPinTest {
    static final String HASH = "660d04d81fbdc628fdf910e8da5777349339aa148650f3fd676f08234975858b";

    static JoinPin from(String value) {
        return JoinPin.fromConfiguredToken(value, "Secret s/t key token");
    }

    @Test
    void theBarePinAnAgentTokenOrABootstrapTokenGiveTheirCaHash() {
        assertThat(from("K10" + HASH + "::\n").caHash()).isEqualTo(HASH);
        assertThat(from("K10" + HASH + "::node:secret").caHash()).isEqualTo(HASH);
        assertThat(from("K10" + HASH + "::abcdef.0123456789abcdef").caHash()).isEqualTo(HASH);
    }

    @Test
    void aServerTokenIsRefusedAndNamedAsSuch() {
        JoinPin pin = from("K10" + HASH + "::server:secret");
        assertThat(pin.reason()).isEqualTo(JoinPin.TOKEN_REFUSED);
        assertThat(pin.problem())
                .startsWith("Secret s/t key token holds the k3s server token")
                .contains("Delete that Secret")
                .doesNotContain("::server:secret");
    }

    @Test
    void aValueThatPinsNoCaIsRefused() {
        assertThat(from("just-a-password").problem()).contains("pins no cluster CA");
        assertThat(from("K10abc::node:x").problem()).contains("not a k3s token", "invalid token CA hash length");
    }

    @Test
    void aCaBundleThatIsNoCertificateIsNoPin() {
        assertThat(JoinPin.fromClusterCa("junk".getBytes(), "ca.crt").reason()).isEqualTo(JoinPin.CA_UNKNOWN);
        assertThat(JoinPin.fromClusterCa(null, "none").problem()).contains("trusts no CA certificate");
    }
}
