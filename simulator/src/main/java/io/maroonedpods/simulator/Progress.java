package io.maroonedpods.simulator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The live progress line on stderr: rewritten in place on a terminal, otherwise printed when it changes (at most
 * every two seconds) so logs of CI runs stay short.
 */
final class Progress {
    private final PrintStream out;
    private final boolean enabled;
    private final boolean terminal = System.console() != null;
    private String last = "";
    private long lastPrinted;

    Progress(PrintStream out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
    }

    void show(String line) {
        if (!enabled) {
            return;
        }
        if (terminal) {
            out.print("\r" + line);
            out.flush();
        } else if (!stripTime(line).equals(stripTime(last)) && System.currentTimeMillis() - lastPrinted >= 2000) {
            out.println(line);
            lastPrinted = System.currentTimeMillis();
        }
        last = line;
    }

    void finish(String line) {
        if (!enabled) {
            return;
        }
        out.println(terminal ? "\r" + line : line);
    }

    /** Waits (polling every 100 ms, showing {@code line}) until {@code done}; false when the timeout passed first. */
    static boolean await(BooleanSupplier done, Duration timeout, Supplier<String> line, Progress progress) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                progress.finish(line.get());
                return false;
            }
            progress.show(line.get());
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        progress.finish(line.get());
        return true;
    }

    private static String stripTime(String line) {
        int end = line.indexOf(']');
        return end < 0 ? line : line.substring(end + 1);
    }
}
