package io.maroonedpods.extender;

import static org.awaitility.Awaitility.await;

import io.maroonedpods.api.Names;
import io.maroonedpods.extender.config.ConfigEdits;
import io.maroonedpods.extender.config.ExtenderConfig;
import io.maroonedpods.testcluster.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A real extender on an ephemeral port, against the fake cluster (test-cluster), ready (caches synced) when returned. */
public final class TestExtender implements AutoCloseable {
    public final TestCluster api;
    public final ExtenderServer server;
    public final ExtenderClient client;

    private TestExtender(TestCluster api, ExtenderServer server, ExtenderClient client) {
        this.api = api;
        this.server = server;
        this.client = client;
    }

    public static TestExtender start(TestCluster api) {
        return start(api, config -> config);
    }

    public static TestExtender start(TestCluster api, UnaryOperator<ExtenderConfig> customize) {
        ExtenderServer server =
                ExtenderServer.start(customize.apply(ConfigEdits.port(ExtenderConfig.defaults(), 0)), api.client());
        await().atMost(Duration.ofSeconds(20)).until(server::ready);
        return new TestExtender(api, server, new ExtenderClient("http://127.0.0.1:" + server.port()));
    }

    /**
     * An extender whose API server holds the maroon pod team-a/web, its verified node and the ordinary node worker-1:
     * {@link #webFilterRequest()} passes exactly the pod's node.
     */
    public static TestExtender withWebPod(UnaryOperator<ExtenderConfig> customize) {
        TestCluster api = TestCluster.start("team-a");
        String uid = api.client()
                .pods()
                .resource(Fixtures.apiPod("web", Fixtures.UID, Names.SCHEDULER_NAME))
                .create()
                .getMetadata()
                .getUid();
        api.client()
                .nodes()
                .resource(Fixtures.verifiedApiNode(Names.nodeName(uid), uid))
                .create();
        api.client()
                .nodes()
                .resource(Fixtures.apiNode("worker-1", Map.of(), true))
                .create();
        return start(api, customize);
    }

    /** The filter request of pod web over worker-1 and the pod's node (see {@link #withWebPod}). */
    public String webFilterRequest() {
        String uid = webUid();
        return Fixtures.namesArgs(
                Fixtures.podJson(uid, Names.SCHEDULER_NAME, Map.of()), List.of("worker-1", Names.nodeName(uid)));
    }

    public String webUid() {
        return api.client()
                .pods()
                .inNamespace("team-a")
                .withName("web")
                .get()
                .getMetadata()
                .getUid();
    }

    @Override
    public void close() {
        server.close();
        api.close();
    }
}
