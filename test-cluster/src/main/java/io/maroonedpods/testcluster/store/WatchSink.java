package io.maroonedpods.testcluster.store;

/**
 * Where a watch's events go: a WebSocket, a chunked HTTP response, or an informer in this JVM. Called by one thread
 * at a time, in order.
 */
public interface WatchSink {
    /** Sends one event (a JSON text); false when the connection is gone. */
    boolean send(String event);

    /**
     * Whether {@link #send} hands the event to its reader before it returns (an informer in this JVM): such a watch is
     * served before the others of the same change, and a writer waits until its change is handed over, so that the
     * reader never learns of a change later than a reader over HTTP does (which would then act on it first).
     */
    default boolean inline() {
        return false;
    }

    /** Ends the watch from the server's side. */
    void close();
}
