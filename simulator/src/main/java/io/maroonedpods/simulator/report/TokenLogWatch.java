package io.maroonedpods.simulator.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Watches every log record this process publishes (the real extender and provisioner log through java.util.logging)
 * for the join token, as the run goes: the line itself is never kept, only where it came from.
 */
public final class TokenLogWatch extends Handler implements AutoCloseable {
    private static final int KEPT = 10;
    private final String token;
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final List<String> leaks = new ArrayList<>();
    private long seen;

    private TokenLogWatch(String token) {
        this.token = token;
    }

    /** Starts watching the root logger, so every logger of the process is covered. */
    public static TokenLogWatch start(String token) {
        TokenLogWatch watch = new TokenLogWatch(token);
        Logger.getLogger("").addHandler(watch);
        return watch;
    }

    @Override
    public void publish(LogRecord record) {
        String line = formatter.format(record);
        List<String> found = TokenScan.leaks(token, Map.of("log line of " + record.getLoggerName(), line));
        synchronized (this) {
            seen++;
            if (!found.isEmpty() && leaks.size() < KEPT) {
                leaks.addAll(found);
            }
        }
    }

    /** Where the token showed up in a log line (at most a few), empty when nowhere. */
    public synchronized List<String> leaks() {
        return List.copyOf(leaks);
    }

    /** How many log records were checked. */
    public synchronized long seen() {
        return seen;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
