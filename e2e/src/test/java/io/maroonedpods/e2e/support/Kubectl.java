package io.maroonedpods.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** kubectl as a user runs it: {@code kubectl --kubeconfig <identity> ...}, its output returned, a failure thrown. */
public final class Kubectl {
    private static final long TIMEOUT_SECONDS = 60;

    private Kubectl() {}

    public static String run(Kubeconfig identity, String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl"));
        if (identity != null) {
            command.add("--kubeconfig=" + identity.path());
        }
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(Repo.root().toFile())
                    .redirectErrorStream(true)
                    .start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kubectl (is it on the PATH?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running kubectl", e);
        }
    }
}
