package io.maroonedpods.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process of the suite (etcd, a Kubernetes binary, a shipped jar) with its output in a log file and an environment
 * of its own (PATH, HOME and what it is given; nothing inherited from the test JVM). Closing it stops it
 * (SIGTERM, then SIGKILL after 10 s); a JVM that dies first takes it down through a shutdown hook, so no control
 * plane outlives its test run.
 */
public final class Daemon implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private final Thread reaper;

    private Daemon(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.reaper = new Thread(this::stop, "stop " + name);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    public static Daemon start(String name, List<String> command, Map<String, String> env, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Only what a container would have: nothing of the test JVM's environment leaks into the process.
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        environment.put("HOME", System.getProperty("java.io.tmpdir"));
        environment.putAll(env);
        try {
            Files.createDirectories(log.getParent());
            return new Daemon(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + command.get(0) + ")", e);
        }
    }

    /** The process id (the JVM's own when a script execs java, as the image's entry point does). */
    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The last lines of its log, for a failure message. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Fails with the log's tail when the process has exited. */
    public void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(
                    name + " exited with " + process.exitValue() + "; last lines of " + log + ":\n" + tail(30));
        }
    }

    /** Kills it at once (SIGKILL), as a crash would, and waits for it to be gone. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs (or ran) anyway
        }
    }
}
