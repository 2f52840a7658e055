package io.maroonedpods.testcluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/** A simulated API server without faults, a client of it and the namespaces a test works in (created). */
record RunningApi(ApiServer server, KubernetesClient client) implements AutoCloseable {

    static RunningApi start(String... namespaces) {
        ApiServer server = ApiServer.start(new FaultInjector(0, 1), Clock.systemUTC());
        KubernetesClient client = server.simulatorClient();
        for (String namespace : namespaces) {
            client.resource(ClusterSeed.namespace(namespace)).create();
        }
        return new RunningApi(server, client);
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
