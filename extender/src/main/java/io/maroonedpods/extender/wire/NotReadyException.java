package io.maroonedpods.extender.wire;

/**
 * The caches have not synced yet, so a NodeNames answer could wrongly pass a dedicated node: the request is refused
 * (503) and the scheduler retries after its backoff.
 */
public class NotReadyException extends RuntimeException {
    public NotReadyException(String message) {
        super(message, null, false, false);
    }
}
