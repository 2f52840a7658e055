package io.maroonedpods.simulator.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Where the components' logs go: with {@code --verbose} to stderr from INFO up; otherwise warnings and errors to a
 * file (named in the summary when it is not empty), so the terminal shows only the progress line and the summary.
 */
final class Logging {
    /** Held here because java.util.logging keeps loggers weakly: a collected logger forgets its level. */
    private static final Logger VERSION_USAGE =
            Logger.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils");

    private Logging() {}

    /** Configures java.util.logging (slf4j-jdk14 routes the components' slf4j logs there); returns the log file, if any. */
    static Path configure(boolean verbose) throws IOException {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
        // Helidon would otherwise re-read a logging.properties from the classpath (the extender ships one).
        System.setProperty("io.helidon.logging.config.disabled", "true");
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        // "resource type 'maroonedpodsconfigs' with unstable version 'v1alpha1'": known, and said on every run.
        VERSION_USAGE.setLevel(Level.SEVERE);
        Handler handler;
        Path file = null;
        if (verbose) {
            handler = new ConsoleHandler();
            handler.setLevel(Level.INFO);
            root.setLevel(Level.INFO);
        } else {
            file = Files.createTempFile("maroonedpods-simulator-", ".log");
            handler = new FileHandler(file.toString());
            handler.setLevel(Level.WARNING);
            // Records from INFO up are still published (the file keeps only warnings): the token scan reads them.
            root.setLevel(Level.INFO);
        }
        handler.setFormatter(new SimpleFormatter());
        root.addHandler(handler);
        return file;
    }
}
