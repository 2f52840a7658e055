package io.maroonedpods.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

/**
 * The provisioner and the extender as the service image ships them: {@code <home>/<component>/} holds the jar the
 * build packaged and its {@code libs/}, laid out as images/services/Containerfile copies them, and the image's entry
 * point {@code images/services/maroonedpods.sh} starts them (its classpath, its default JVM options unless the
 * manifests set JAVA_OPTS). What a test changes is only what a cluster would give the container: the API server
 * (a kubeconfig with the ServiceAccount's token instead of the mounted one) and a free port where two would clash.
 */
public final class Shipped {
    private final Path home;

    private Shipped(Path home) {
        this.home = home;
    }

    /** Lays out the image's {@code /opt/maroonedpods} under {@code dir} from the build's output. */
    public static Shipped layOut(Path dir) {
        Path home = dir.resolve("opt/maroonedpods");
        for (String component : List.of("provisioner", "extender")) {
            Path target = Repo.root().resolve(component).resolve("target");
            Path jar = target.resolve("maroonedpods-" + component + ".jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(
                        jar + " is missing: the suite tests the packaged jars (run ./mvnw verify)");
            }
            copy(jar, home.resolve(component).resolve(jar.getFileName()));
            // What a fresh build's libs/ holds: the jars of this build's runtime classpath, as its manifest lists them
            // (a libs/ left from an earlier build may hold more).
            for (String lib : classPath(jar)) {
                copy(target.resolve(lib), home.resolve(component).resolve(lib));
            }
        }
        return new Shipped(home);
    }

    /**
     * Starts {@code maroonedpods <component>} with the container's environment plus {@code KUBECONFIG}; the JDK that
     * runs the suite is the image's {@code java}.
     */
    public Daemon start(String component, Map<String, String> containerEnv, Kubeconfig identity, Path log) {
        Map<String, String> env = new LinkedHashMap<>(containerEnv);
        env.put("MAROONEDPODS_HOME", home.toString());
        env.put("KUBECONFIG", identity.path().toString());
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        return Daemon.start(
                component,
                List.of(
                        "bash",
                        Repo.root().resolve("images/services/maroonedpods.sh").toString(),
                        component),
                env,
                log);
    }

    private static List<String> classPath(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            String classPath = file.getManifest().getMainAttributes().getValue("Class-Path");
            return classPath == null ? List.of() : List.of(classPath.trim().split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
