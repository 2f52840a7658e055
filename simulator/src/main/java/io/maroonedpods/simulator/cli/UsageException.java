package io.maroonedpods.simulator.cli;

/** A wrong command line; the message names the flag and is shown as is, without a stack trace. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
