package io.maroonedpods.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Paths of the repository as the tests see them (Maven runs them with the manifests module as working directory). */
public final class Repo {
    private Repo() {}

    public static final Path MANIFESTS = Path.of("").toAbsolutePath();
    public static final Path ROOT = MANIFESTS.getParent();
    public static final Path BASE = MANIFESTS.resolve("base");
    public static final Path OVERLAYS = MANIFESTS.resolve("overlays");
    public static final Path SECONDARY = OVERLAYS.resolve("secondary-scheduler");
    public static final Path MAIN = OVERLAYS.resolve("main-scheduler");
    public static final Path GATED = OVERLAYS.resolve("gated");
    public static final Path EXAMPLES = ROOT.resolve("examples");
    public static final Path SERVICE_IMAGE = ROOT.resolve("images/services");

    /** Every kustomization directory a user may build: the base and each overlay. */
    public static final List<Path> KUSTOMIZATIONS = List.of(BASE, SECONDARY, MAIN, GATED);

    /** Every YAML file under manifests/ (sources and build output excluded) and examples/. */
    public static List<Path> yamlFiles() {
        try (Stream<Path> manifests = Files.walk(MANIFESTS);
                Stream<Path> examples = Files.walk(EXAMPLES)) {
            return Stream.concat(manifests, examples)
                    .filter(p -> !p.startsWith(MANIFESTS.resolve("target")) && !p.startsWith(MANIFESTS.resolve("src")))
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String relative(Path file) {
        return ROOT.relativize(file.toAbsolutePath()).toString();
    }
}
