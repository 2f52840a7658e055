package io.maroonedpods.testcluster.store;

import java.util.Optional;

/**
 * How a watch event of the whole collection becomes an event of a field-selected watch, the way the API server
 * presents it: an object that starts matching is ADDED, one that stops matching is DELETED, others are not sent.
 */
public final class WatchVisibility {
    private WatchVisibility() {}

    /**
     * @param type         the event type on the unfiltered watch (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR)
     * @param matchesNow   whether the event's object matches the selector
     * @param wasVisible   whether the watcher was shown the object before this event: its previous version matched
     *                     (for DELETED, the deleted version matched)
     * @return the event type to send, or empty to drop the event
     */
    public static Optional<String> translate(String type, boolean matchesNow, boolean wasVisible) {
        return switch (type) {
            case "ADDED" -> matchesNow ? Optional.of("ADDED") : Optional.empty();
            case "MODIFIED" ->
                matchesNow
                        ? Optional.of(wasVisible ? "MODIFIED" : "ADDED")
                        : wasVisible ? Optional.of("DELETED") : Optional.empty();
            case "DELETED" -> wasVisible ? Optional.of("DELETED") : Optional.empty();
            default -> Optional.of(type);
        };
    }
}
