package io.maroonedpods.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The repository the suite tests: its manifests, scripts and the jars its build packaged. */
public final class Repo {
    private Repo() {}

    public static Path root() {
        String fromBuild = System.getenv("MAROONEDPODS_REPO");
        Path root = fromBuild != null
                ? Path.of(fromBuild)
                : Path.of("").toAbsolutePath().getParent();
        return root.toAbsolutePath().normalize();
    }

    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
