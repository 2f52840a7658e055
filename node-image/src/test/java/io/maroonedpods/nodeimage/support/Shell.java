package io.maroonedpods.nodeimage.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs commands the way a user or systemd would, with stub commands first on PATH. */
public final class Shell {
    private Shell() {}

    public record Result(int exitCode, String stdout, String stderr) {
        public String output() {
            return stdout + stderr;
        }
    }

    /**
     * Runs the command with the given extra environment (a {@code PATH} entry in {@code env} replaces the default) and
     * nothing on its standard input.
     */
    public static Result run(List<String> command, Map<String, String> env, Path workDir, Duration timeout) {
        try {
            Path out = Files.createTempFile("shell-out", ".txt");
            Path err = Files.createTempFile("shell-err", ".txt");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(workDir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                Map<String, String> environment = builder.environment();
                environment.putAll(env);
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("timed out after " + timeout + ": " + command);
                }
                return new Result(
                        process.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** PATH with the stub directory first, so stubs shadow the machine's real commands. */
    public static Map<String, String> pathWithStubs(Path stubDir) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", stubDir + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return env;
    }

    /** Writes an executable bash stub named {@code name} with the given body. */
    public static Path stub(Path stubDir, String name, String body) {
        try {
            Files.createDirectories(stubDir);
            Path file = stubDir.resolve(name);
            Files.writeString(file, "#!/usr/bin/env bash\n" + body + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
