package io.maroonedpods.extender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.rbac.Authorizer;
import io.maroonedpods.api.rbac.Authorizer.Access;
import io.maroonedpods.extender.config.ConfigEdits;
import io.maroonedpods.extender.config.ExtenderConfig;
import io.maroonedpods.testcluster.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Every request the extender makes while it starts, filters, prioritizes, binds and records the Bound Event is one
 * its RBAC in manifests/base/rbac/extender.yaml allows: the fake API server checks no RBAC, so a new kind of request
 * would otherwise first fail in a real cluster, with 403 (a refused bind leaves the pod Pending).
 */
class RbacAllowsTheExtenderTest {
    static final String USER_AGENT = "maroonedpods-extender-under-rbac-test";
    static final Path RBAC = Path.of("..", "manifests", "base", "rbac", "extender.yaml");

    @Test
    void theExtendersRequestsFromStartToBoundEventAreAllGranted() throws Exception {
        try (TestCluster api = TestCluster.start("team-a");
                KubernetesClient extenderClient = new KubernetesClientBuilder()
                        .withConfig(new ConfigBuilder(api.client().getConfiguration())
                                .withUserAgent(USER_AGENT)
                                .build())
                        .build()) {
            String uid = api.client()
                    .pods()
                    .resource(Fixtures.apiPod("web", null, Names.SCHEDULER_NAME))
                    .create()
                    .getMetadata()
                    .getUid();
            String node = Names.nodeName(uid);
            api.client().nodes().resource(Fixtures.verifiedApiNode(node, uid)).create();
            ExtenderServer server =
                    ExtenderServer.start(ConfigEdits.port(ExtenderConfig.defaults(), 0), extenderClient);
            try {
                await().atMost(Duration.ofSeconds(20)).until(server::ready);
                ExtenderClient scheduler = new ExtenderClient("http://127.0.0.1:" + server.port());
                String args = Fixtures.namesArgs(
                        Fixtures.podJson(uid, Names.SCHEDULER_NAME, Map.of()), List.of(node, "worker-1"));
                assertThat(scheduler
                                .post("/scheduler/filter", args)
                                .json()
                                .get("NodeNames")
                                .get(0)
                                .asText())
                        .isEqualTo(node);
                assertThat(scheduler.post("/scheduler/prioritize", args).status())
                        .isEqualTo(200);
                assertThat(scheduler
                                .post("/scheduler/bind", Fixtures.bindArgs("web", uid, node))
                                .error())
                        .isEmpty();
                await().atMost(Duration.ofSeconds(10))
                        .until(() ->
                                api.client().resources(Event.class).inNamespace("team-a").list().getItems().stream()
                                        .anyMatch(e -> "Bound".equals(e.getReason())));
            } finally {
                server.close();
            }

            List<Access> made = api.requestsFrom(USER_AGENT).stream()
                    .map(request -> Authorizer.access(request.method(), request.path()))
                    .filter(Objects::nonNull)
                    .toList();

            assertThat(made)
                    .extracting(Access::toString)
                    .as("the whole flow was seen")
                    .contains(
                            "watch nodes",
                            "list kubevirt.io/virtualmachineinstances in " + Names.DEFAULT_VMI_NAMESPACE,
                            "get pods in team-a web",
                            "create bindings in team-a",
                            "create events.k8s.io/events in team-a");
            assertThat(Authorizer.of(RBAC).refused(made))
                    .as("requests the extender's RBAC does not allow")
                    .isEmpty();
        }
    }
}
