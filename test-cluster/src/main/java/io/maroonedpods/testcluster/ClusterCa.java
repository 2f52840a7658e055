package io.maroonedpods.testcluster;

import io.maroonedpods.api.k3s.ClusterCaHash;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * The simulated cluster's CA: what a k3s server serves at /cacerts and what a kubeconfig's certificate-authority-data
 * holds. The simulated API server speaks plain HTTP, so nobody verifies TLS with it; the components' clients carry it
 * as a real kubeconfig would (the provisioner pins the VMs' tokens to it) and the simulated k3s server checks the
 * tokens' CA hash against it.
 */
public final class ClusterCa {
    private static final byte[] PEM = load();

    private ClusterCa() {}

    /** The CA hash k3s puts in tokens for this CA. */
    public static String hash() {
        return ClusterCaHash.of(PEM);
    }

    /** As certificate-authority-data: base64 of the PEM. */
    public static String kubeconfigData() {
        return Base64.getEncoder().encodeToString(PEM);
    }

    private static byte[] load() {
        try (InputStream in = ClusterCa.class.getResourceAsStream("/simulated-cluster-ca.crt")) {
            if (in == null) {
                throw new IllegalStateException("simulated-cluster-ca.crt is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
