package io.maroonedpods.extender;

import static org.awaitility.Awaitility.await;

import io.maroonedpods.extender.config.ExtenderConfig;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** A real extender on an ephemeral port, against the CRUD mock API server, ready (caches synced) when returned. */
public final class TestExtender implements AutoCloseable {
    public final ApiServer api;
    public final ExtenderServer server;
    public final ExtenderClient client;

    private TestExtender(ApiServer api, ExtenderServer server, ExtenderClient client) {
        this.api = api;
        this.server = server;
        this.client = client;
    }

    public static TestExtender start(ApiServer api) {
        return start(api, config -> config);
    }

    public static TestExtender start(ApiServer api, UnaryOperator<ExtenderConfig> customize) {
        ExtenderServer server = ExtenderServer.start(customize.apply(ExtenderConfig.defaults().withPort(0)),
                api.client());
        await().atMost(Duration.ofSeconds(20)).until(server::ready);
        return new TestExtender(api, server, new ExtenderClient("http://127.0.0.1:" + server.port()));
    }

    @Override
    public void close() {
        server.close();
        api.close();
    }
}
