package io.maroonedpods.extender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maroonedpods.api.Names;
import io.maroonedpods.testcluster.TestCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Many parallel filter and bind calls: each pod is bound once, to its own node, and nobody else's. */
class ConcurrentBindTest {

    @Test
    void parallelFiltersAndBindsNeverProduceTwoBindings() throws Exception {
        TestCluster api = TestCluster.start("team-a");
        String webUid = api.client()
                .pods()
                .resource(Fixtures.apiPod("web", Fixtures.UID, Names.SCHEDULER_NAME))
                .create()
                .getMetadata()
                .getUid();
        String dbUid = api.client()
                .pods()
                .resource(Fixtures.apiPod("db", Fixtures.OTHER_UID, Names.SCHEDULER_NAME))
                .create()
                .getMetadata()
                .getUid();
        String webNode = Names.nodeName(webUid);
        String dbNode = Names.nodeName(dbUid);
        api.client().nodes().resource(Fixtures.verifiedApiNode(webNode, webUid)).create();
        api.client().nodes().resource(Fixtures.verifiedApiNode(dbNode, dbUid)).create();

        try (TestExtender extender = TestExtender.start(api);
                ExecutorService pool = Executors.newFixedThreadPool(16)) {
            String filterArgs = Fixtures.namesArgs(
                    Fixtures.podJson(webUid, Names.SCHEDULER_NAME, java.util.Map.of()),
                    List.of("worker-1", webNode, dbNode));
            List<Future<ExtenderClient.Reply>> filters = new ArrayList<>();
            List<Future<ExtenderClient.Reply>> rightBinds = new ArrayList<>();
            List<Future<ExtenderClient.Reply>> wrongBinds = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                filters.add(pool.submit(() -> extender.client.post("/scheduler/filter", filterArgs)));
                rightBinds.add(pool.submit(
                        () -> extender.client.post("/scheduler/bind", Fixtures.bindArgs("web", webUid, webNode))));
                rightBinds.add(pool.submit(
                        () -> extender.client.post("/scheduler/bind", Fixtures.bindArgs("db", dbUid, dbNode))));
                wrongBinds.add(pool.submit(
                        () -> extender.client.post("/scheduler/bind", Fixtures.bindArgs("web", webUid, dbNode))));
            }
            for (Future<ExtenderClient.Reply> filter : filters) {
                assertEquals(
                        List.of(webNode),
                        List.of(filter.get().json().at("/NodeNames/0").asText()));
            }
            for (Future<ExtenderClient.Reply> bind : rightBinds) {
                assertEquals("", bind.get().error(), "a bind to the pod's own node succeeds, first or retried");
            }
            for (Future<ExtenderClient.Reply> bind : wrongBinds) {
                String error = bind.get().error();
                assertTrue(
                        error.contains("dedicated to another pod")
                                || error.contains("already bound to node " + webNode),
                        error);
            }
            assertEquals(
                    List.of("team-a/db -> " + dbNode, "team-a/web -> " + webNode),
                    extender.api.acceptedBindings().stream().sorted().toList());
            assertEquals(
                    webNode,
                    api.client()
                            .pods()
                            .inNamespace("team-a")
                            .withName("web")
                            .get()
                            .getSpec()
                            .getNodeName());
        }
    }
}
