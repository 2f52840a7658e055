package io.maroonedpods.extender.wire;

/** A request the extender refuses; the message names the problem and is sent to the client as is. */
public class BadRequestException extends RuntimeException {
    private final int status;

    public BadRequestException(String message) {
        this(400, message);
    }

    public BadRequestException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
