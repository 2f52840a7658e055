package io.maroonedpods.e2e.support;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A kubeconfig file for one identity of the suite's API server: a client certificate or a bearer token. */
public record Kubeconfig(Path path) {

    static Kubeconfig forCertificate(Path path, String server, Path ca, Pki.Issued identity) {
        return write(
                path, server, ca, "    client-certificate: " + identity.cert() + "\n    client-key: " + identity.key());
    }

    static Kubeconfig forToken(Path path, String server, Path ca, String token) {
        return write(path, server, ca, "    token: " + token);
    }

    /** A fabric8 client of this identity (the caller closes it). */
    public KubernetesClient client() {
        try {
            Config config = Config.fromKubeconfig(null, Files.readString(path), path.toString());
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Kubeconfig write(Path path, String server, Path ca, String user) {
        String text = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: e2e
                  cluster:
                    server: %s
                    certificate-authority: %s
                users:
                - name: e2e
                  user:
                %s
                contexts:
                - name: e2e
                  context:
                    cluster: e2e
                    user: e2e
                current-context: e2e
                """.formatted(server, ca, user);
        try {
            Files.createDirectories(path.getParent());
            Files.writeString(path, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Kubeconfig(path);
    }
}
