package io.maroonedpods.extender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Paged lists ({@code ?limit=N&continue=TOKEN}), which the CRUD mock ignores: it answers every list whole. A real API
 * server pages, and the extender's informers ask it to (a page of Nodes at a time instead of 10,000): without this,
 * a benchmark of the extender's memory would measure a whole-cluster list no real API server sends. The first page
 * takes a snapshot of the full list; its continue token names the snapshot and the next offset.
 */
final class ListPages {
    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
    private final AtomicInteger pagesServed = new AtomicInteger();

    private record Snapshot(ObjectNode list, ArrayNode items) {
    }

    /** How many pages with a continue token (all but the last of each list) have been answered. */
    int pagesServed() {
        return pagesServed.get();
    }

    /**
     * The page a GET asks for, or null when it is not a paged list (no limit, or a watch): then the caller answers it.
     *
     * @param fullList answers a GET of the given path (without limit and continue) as the mock would
     */
    MockResponse answer(String path, Function<String, MockResponse> fullList) {
        int query = path.indexOf('?');
        if (query < 0) {
            return null;
        }
        StringBuilder unpaged = new StringBuilder(path.substring(0, query));
        int limit = 0;
        String token = null;
        char separator = '?';
        for (String param : path.substring(query + 1).split("&")) {
            String value = URLDecoder.decode(param.substring(param.indexOf('=') + 1), StandardCharsets.UTF_8);
            if (param.startsWith("watch=true")) {
                return null;
            } else if (param.startsWith("limit=")) {
                limit = Integer.parseInt(value);
            } else if (param.startsWith("continue=")) {
                token = value;
            } else {
                unpaged.append(separator).append(param);
                separator = '&';
            }
        }
        if (limit <= 0) {
            return null;
        }
        String id;
        int offset;
        Snapshot snapshot;
        if (token == null || token.isEmpty()) {
            MockResponse whole = fullList.apply(unpaged.toString());
            if (whole.code() != 200) {
                return whole;
            }
            snapshot = parse(whole.getBody().getBytes());
            if (snapshot == null) {
                return whole;
            }
            id = UUID.randomUUID().toString();
            offset = 0;
        } else {
            id = token.substring(0, token.indexOf(':'));
            offset = Integer.parseInt(token.substring(token.indexOf(':') + 1));
            snapshot = snapshots.get(id);
            if (snapshot == null) {
                return new MockResponse().setResponseCode(410).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                        + "\"status\":\"Failure\",\"reason\":\"Expired\",\"code\":410}");
            }
        }
        return page(snapshot, id, offset, limit);
    }

    private MockResponse page(Snapshot snapshot, String id, int offset, int limit) {
        int end = Math.min(offset + limit, snapshot.items().size());
        ObjectNode page = snapshot.list().deepCopy();
        ArrayNode items = page.putArray("items");
        for (int i = offset; i < end; i++) {
            items.add(snapshot.items().get(i));
        }
        ObjectNode metadata = page.withObjectProperty("metadata");
        if (end < snapshot.items().size()) {
            snapshots.put(id, snapshot);
            metadata.put("continue", id + ":" + end);
            metadata.put("remainingItemCount", snapshot.items().size() - end);
            pagesServed.incrementAndGet();
        } else {
            snapshots.remove(id);
        }
        return new MockResponse().setResponseCode(200).setBody(page.toString())
                .setHeader("Content-Type", "application/json");
    }

    /** The list without its items, and the items; null when the answer is not a list. */
    private static Snapshot parse(byte[] body) {
        try {
            JsonNode tree = Serialization.jsonMapper().readTree(body);
            if (!(tree instanceof ObjectNode list) || !(list.get("items") instanceof ArrayNode items)) {
                return null;
            }
            list.remove("items");
            return new Snapshot(list, items);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
