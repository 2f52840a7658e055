package io.maroonedpods.testcluster.store;

/** Where a watch's events go: a WebSocket or a chunked HTTP response. Called by one thread at a time, in order. */
public interface WatchSink {
    /** Sends one event (a JSON text); false when the connection is gone. */
    boolean send(String event);

    /** Ends the watch from the server's side. */
    void close();
}
