package io.maroonedpods.manifests;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.maroonedpods.manifests.yaml.StrictYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Builds a kustomization with the real {@code kubectl kustomize}, once per directory per test run, and reads the
 * result strictly into typed objects: what {@code kubectl apply -k} would send to the API server.
 */
public final class Kustomize {
    private Kustomize() {}

    private static final Map<Path, List<HasMetadata>> BUILT = new ConcurrentHashMap<>();

    public static List<HasMetadata> build(Path dir) {
        return BUILT.computeIfAbsent(dir, Kustomize::run);
    }

    /** The one object of that kind and name in the built output. */
    public static <T extends HasMetadata> T find(Path dir, Class<T> kind, String name) {
        return findOptional(dir, kind, name)
                .orElseThrow(() -> new AssertionError(
                        Repo.relative(dir) + " builds no " + kind.getSimpleName() + " named " + name));
    }

    public static <T extends HasMetadata> Optional<T> findOptional(Path dir, Class<T> kind, String name) {
        return build(dir).stream()
                .filter(kind::isInstance)
                .map(kind::cast)
                .filter(o -> Objects.equals(o.getMetadata().getName(), name))
                .findFirst();
    }

    public static <T extends HasMetadata> List<T> all(Path dir, Class<T> kind) {
        return build(dir).stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    private static List<HasMetadata> run(Path dir) {
        String output = kubectl("kustomize", dir.toString());
        return StrictYaml.typedDocuments(output).stream()
                .map(o -> {
                    if (o instanceof HasMetadata object) {
                        return object;
                    }
                    throw new AssertionError(Repo.relative(dir) + " builds a non-Kubernetes object: " + o);
                })
                .toList();
    }

    /** Runs kubectl; fails with a message saying how to get it when it is not installed. */
    static String kubectl(String... args) {
        return run("kubectl", args);
    }

    static String run(String kubectl, String... args) {
        var command = new java.util.ArrayList<String>();
        command.add(kubectl);
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new AssertionError(
                    "kubectl is missing: the manifest tests run 'kubectl kustomize'. Install kubectl"
                            + " from the Kubernetes release binaries (not Debian's kubernetes-client package, which conflicts"
                            + " with it) and put it on PATH",
                    e);
        }
        try {
            process.getOutputStream().close();
            var stdout = process.getInputStream().readAllBytes();
            var stderr = process.getErrorStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("kubectl " + String.join(" ", args) + " failed (exit " + process.exitValue()
                        + "): " + new String(stderr, StandardCharsets.UTF_8));
            }
            return new String(stdout, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("kubectl " + String.join(" ", args) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running kubectl", e);
        }
    }
}
