package io.maroonedpods.testcluster;

import com.fasterxml.jackson.databind.JsonNode;

/** Sees every successful write to the simulated API server (after it is stored), with the object it returned. */
@FunctionalInterface
public interface ApiObserver {
    /**
     * @param method  POST, PUT, PATCH or DELETE (a binding is reported as POST on its pods/{name}/binding path)
     * @param path    the request path
     * @param object  the object the server answered with (the stored object; for a delete, the deleted one), as the
     *                store holds it: to read, never to change. Not rendered to text and parsed again per observer:
     *                the observers look at a few writes of thousands.
     */
    void written(String method, ApiPath path, JsonNode object);
}
