package io.maroonedpods.api.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The supervisor's checks that the simulator and the test fakes apply, so they refuse what k3s refuses. */
class SupervisorRulesTest {
    static final String CA = "660d04d81fbdc628fdf910e8da5777349339aa148650f3fd676f08234975858b";
    static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
    static final BootstrapToken TOKEN = new BootstrapToken("abcdef", "0123456789abcdef");

    static Secret bootstrapSecret(String secret, String expiration, String usage) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(BootstrapToken.TOKEN_ID_KEY, TOKEN.id());
        data.put(BootstrapToken.TOKEN_SECRET_KEY, secret);
        data.put(BootstrapToken.EXPIRATION_KEY, expiration);
        data.put(BootstrapToken.USAGE_AUTHENTICATION_KEY, usage);
        data.replaceAll((k, v) -> Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
        return new SecretBuilder()
                .withNewMetadata()
                .withName(TOKEN.secretName())
                .endMetadata()
                .withType(BootstrapToken.SECRET_TYPE)
                .withData(data)
                .build();
    }

    static String refusal(String token, Secret bootstrap) {
        return SupervisorRules.tokenRefusal(
                        token, CA, id -> id.equals(TOKEN.id()) ? bootstrap : null, "cluster-pw", NOW)
                .orElse("accepted");
    }

    @Test
    void aLiveBootstrapTokenPinnedToTheServersCaIsAccepted() {
        Secret live = bootstrapSecret(TOKEN.secret(), NOW.plusSeconds(60).toString(), "true");
        assertThat(refusal(K3sToken.format(CA, TOKEN), live)).isEqualTo("accepted");
        assertThat(refusal(TOKEN.value(), live))
                .as("no CA hash: trusted on first use")
                .isEqualTo("accepted");
    }

    @Test
    void aBootstrapTokenThatIsGoneExpiredWrongOrNotForAuthenticationIsRefused() {
        String token = K3sToken.format(CA, TOKEN);
        assertThat(refusal(token, null)).contains("no bootstrap token with id abcdef");
        assertThat(refusal(token, bootstrapSecret(TOKEN.secret(), NOW.toString(), "true")))
                .contains("expired");
        assertThat(refusal(
                        token,
                        bootstrapSecret("fedcba9876543210", NOW.plusSeconds(60).toString(), "true")))
                .contains("another secret")
                .doesNotContain(TOKEN.secret());
        assertThat(refusal(
                        token,
                        bootstrapSecret(TOKEN.secret(), NOW.plusSeconds(60).toString(), "false")))
                .contains("not for authentication");
    }

    @Test
    void aTokenPinnedToAnotherCaIsRefused() {
        Secret live = bootstrapSecret(TOKEN.secret(), NOW.plusSeconds(60).toString(), "true");
        assertThat(refusal(K3sToken.format(CA.replace('6', '7'), TOKEN), live)).contains("CA hash does not match");
    }

    @Test
    void theClusterTokenIsCheckedByItsPassword() {
        assertThat(refusal("K10" + CA + "::node:cluster-pw", null)).isEqualTo("accepted");
        assertThat(refusal("K10" + CA + "::node:guess", null)).contains("401");
    }

    @Test
    void aNodeNameWithAPasswordSecretTakesOnlyThatPassword() {
        SecureRandom random = new SecureRandom();
        String password = NodePasswordHash.newPassword(random);
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                .withName("maroon-x.node-password.k3s")
                .endMetadata()
                .withData(Map.of(
                        "hash",
                        Base64.getEncoder()
                                .encodeToString(NodePasswordHash.create(password, random, NodePasswordHash.PROVISIONER)
                                        .getBytes(StandardCharsets.UTF_8))))
                .build();

        assertThat(SupervisorRules.passwordRefusal("maroon-x", secret, password))
                .isEmpty();
        assertThat(SupervisorRules.passwordRefusal("maroon-x", secret, NodePasswordHash.newPassword(random)))
                .contains(SupervisorRules.PASSWORD_REJECTED);
        assertThat(SupervisorRules.passwordRefusal("maroon-x", null, "any-password-at-all"))
                .as("first comer")
                .isEmpty();
    }
}
