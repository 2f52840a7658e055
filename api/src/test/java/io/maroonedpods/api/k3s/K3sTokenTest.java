package io.maroonedpods.api.k3s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Tokens read as k3s's parseToken reads them, and the token a VM gets. */
class K3sTokenTest {
    static final String HASH = "660d04d81fbdc628fdf910e8da5777349339aa148650f3fd676f08234975858b";

    @Test
    void theServerTokenIsRecognised() {
        K3sToken server = K3sToken.parse("K10" + HASH + "::server:0123456789abcdef");
        assertThat(server.isServerToken()).isTrue();
        assertThat(server.caHash()).isEqualTo(HASH);
        assertThat(server.toString()).doesNotContain("0123456789abcdef");
    }

    @Test
    void anAgentTokenAndABootstrapTokenAreNotServerTokens() {
        assertThat(K3sToken.parse("K10" + HASH + "::node:0123456789abcdef").isServerToken())
                .isFalse();
        K3sToken bootstrap = K3sToken.parse("K10" + HASH + "::abcdef.0123456789abcdef");
        assertThat(bootstrap.bootstrap()).isEqualTo(new BootstrapToken("abcdef", "0123456789abcdef"));
        assertThat(bootstrap.isServerToken()).isFalse();
    }

    @Test
    void bareValuesCarryNoCaHash() {
        assertThat(K3sToken.parse("abcdef.0123456789abcdef").caHash()).isEmpty();
        K3sToken password = K3sToken.parse("just-a-password");
        assertThat(password.caHash()).isEmpty();
        assertThat(password.username()).isEmpty();
    }

    @Test
    void malformedTokensAreRefusedAsK3sRefusesThem() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> K3sToken.parse("K10abc::server:x"))
                        .getMessage())
                .isEqualTo("invalid token CA hash length");
        assertThat(assertThrows(IllegalArgumentException.class, () -> K3sToken.parse("K10" + HASH + "::"))
                        .getMessage())
                .isEqualTo("invalid token format");
        assertThat(assertThrows(IllegalArgumentException.class, () -> K3sToken.parse(""))
                        .getMessage())
                .isEqualTo("token must not be empty");
    }

    @Test
    void aVmTokenIsItsBootstrapTokenPinnedToTheClusterCa() {
        BootstrapToken token = BootstrapToken.random(new SecureRandom());
        String vmToken = K3sToken.format(HASH, token);

        assertThat(vmToken).isEqualTo("K10" + HASH + "::" + token.id() + "." + token.secret());
        assertThat(K3sToken.parse(vmToken).bootstrap()).isEqualTo(token);
        assertThat(token.secretName())
                .isEqualTo("bootstrap-token-" + token.id())
                .matches("bootstrap-token-[a-z0-9]{6}");
        assertThat(token.toString()).doesNotContain(token.secret());
        assertThat(K3sToken.format("", token)).isEqualTo(token.value());
    }
}
