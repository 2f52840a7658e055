package io.maroonedpods.api.k3s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The CA hash k3s pins in its tokens. Expected values from openssl: {@code sha256sum single-ca.crt} for a
 * one-certificate bundle; for the intermediate-plus-root bundle, {@code openssl x509 -in root.pem -outform DER |
 * sha256sum} (the root's DER, as k3s hashes a bundle of more than one certificate).
 */
class ClusterCaHashTest {
    static byte[] resource(String name) throws IOException {
        try (InputStream in = ClusterCaHashTest.class.getResourceAsStream("/k3s/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aSingleCertificateIsHashedByItsBytes() throws IOException {
        assertThat(ClusterCaHash.of(resource("single-ca.crt")))
                .isEqualTo("660d04d81fbdc628fdf910e8da5777349339aa148650f3fd676f08234975858b");
    }

    @Test
    void aBundleIsHashedByTheDerOfItsRoot() throws IOException {
        assertThat(ClusterCaHash.of(resource("intermediate-and-root.crt")))
                .isEqualTo("c83a099091afc3c60f79369ee20ad2f60ea486490c834d54eec3a53444a47d7a");
    }

    @Test
    void somethingThatIsNoCertificateIsRefused() {
        assertThat(assertThrows(
                                IllegalArgumentException.class,
                                () -> ClusterCaHash.of("not a certificate".getBytes(StandardCharsets.UTF_8)))
                        .getMessage())
                .startsWith("the CA bundle");
    }
}
