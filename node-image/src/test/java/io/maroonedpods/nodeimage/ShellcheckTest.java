package io.maroonedpods.nodeimage;

import static org.assertj.core.api.Assertions.assertThat;

import io.maroonedpods.nodeimage.support.NodeImage;
import io.maroonedpods.nodeimage.support.Shell;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every shell script in the repository is shellcheck-clean (the build checks what review would). */
class ShellcheckTest {
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", "target", "node_modules", "out", ".idea");
    private static final Pattern SHELL_SHEBANG = Pattern.compile("^#!\\s*(/usr)?/bin/(env\\s+)?(ba|da|k)?sh\\b.*");

    @Test
    void everyShellScriptInTheRepositoryIsShellcheckClean() {
        assertThat(Shell.onPath("shellcheck"))
                .as("shellcheck is not installed (.ci/run installs it; locally: apt-get install shellcheck)")
                .isTrue();
        Path root = NodeImage.repoRoot();
        List<String> scripts = shellScripts(root);
        assertThat(scripts)
                .as("the discovery finds the node image's scripts")
                .contains(
                        "node-image/rootfs/usr/libexec/marooned/marooned-node-boot.sh",
                        "node-image/scripts/build-containerdisk.sh",
                        "node-image/scripts/harvest-kernel-args.sh");

        List<String> command = new ArrayList<>(List.of("shellcheck", "--format=gcc"));
        command.addAll(scripts);
        Shell.Result result = Shell.run(command, Map.of(), root, Duration.ofMinutes(2));

        assertThat(result.exitCode())
                .as("shellcheck findings:%n%s", result.output())
                .isZero();
    }

    @Test
    void shellcheckReportsAFaultyScript(@TempDir Path dir) throws IOException {
        assertThat(Shell.onPath("shellcheck")).isTrue();
        Path faulty = Files.writeString(dir.resolve("faulty.sh"), "#!/bin/bash\nrm -rf $1/*\n");

        Shell.Result result = Shell.run(
                List.of("shellcheck", "--format=gcc", faulty.toString()), Map.of(), dir, Duration.ofSeconds(30));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("SC2086");
    }

    /** Files ending in .sh, or whose first line is a sh/bash shebang, relative to the root. */
    static List<String> shellScripts(Path root) {
        List<String> scripts = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile)
                    .filter(file -> notSkipped(root.relativize(file)))
                    .filter(file -> file.toString().endsWith(".sh") || hasShellShebang(file))
                    .map(file -> root.relativize(file).toString())
                    .sorted()
                    .forEach(scripts::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return scripts;
    }

    private static boolean notSkipped(Path relative) {
        for (Path part : relative) {
            if (SKIPPED_DIRS.contains(part.toString())) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasShellShebang(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String first = reader.readLine();
            return first != null && SHELL_SHEBANG.matcher(first).matches();
        } catch (IOException e) {
            return false;
        }
    }
}
