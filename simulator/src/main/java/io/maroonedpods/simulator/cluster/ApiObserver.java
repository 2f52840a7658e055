package io.maroonedpods.simulator.cluster;

/** Sees every successful write to the simulated API server (after it is stored), with the object it returned. */
@FunctionalInterface
public interface ApiObserver {
    /**
     * @param method  POST, PUT, PATCH or DELETE (a binding is reported as POST on its pods/{name}/binding path)
     * @param path    the request path
     * @param object  the JSON the server answered with (the stored object; for a delete, the deleted one)
     */
    void written(String method, ApiPath path, String object);
}
