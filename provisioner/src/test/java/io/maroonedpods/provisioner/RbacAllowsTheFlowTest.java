package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.maroonedpods.api.Names;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every request the provisioner makes in the whole flow of a pod (leader election, boot, verification, gate, sweep,
 * teardown) is one its RBAC in manifests/base/rbac/provisioner.yaml allows. The API server here does not check RBAC,
 * so without this a new kind of request (a patch where an update was) would first fail in a real cluster, with 403.
 */
class RbacAllowsTheFlowTest extends MockCluster {
    static final String USER_AGENT = "maroonedpods-provisioner-under-rbac-test";
    static final Path RBAC = Path.of("..", "manifests", "base", "rbac", "provisioner.yaml");

    private KubernetesClient provisionerClient;

    /** One request, as the API server's authorizer sees it. */
    record Access(String verb, String group, String resource, String namespace, String name) {
        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource
                    + (namespace == null ? "" : " in " + namespace) + (name == null ? "" : " " + name);
        }
    }

    @AfterEach
    void closeProvisionerClient() {
        if (provisionerClient != null) {
            provisionerClient.close();
        }
    }

    @Test
    void theProvisionersRequestsInAPodsWholeFlowAreAllGranted() throws Exception {
        provisionerClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withUserAgent(USER_AGENT).build()).build();
        // Leader election on, as deployed; all pods watched, as the CRUD mock evaluates no other field selector
        // (the verbs are the same: list and watch pods cluster-wide).
        startProvisioner(ProvisionerConfig.defaults().toBuilder().healthPort(-1).clock(clock)
                .podWatch(PodWatch.ALL_PODS).sweepInterval(Duration.ofSeconds(1)).build(), provisionerClient);
        Pod pod = createPod(new PodBuilder(ProvisioningFlowTest.podTemplate("web")).editSpec()
                .addNewSchedulingGate().withName(Names.SCHEDULING_GATE).endSchedulingGate().endSpec().build());
        String uid = pod.getMetadata().getUid();
        awaitRunningVmi(pod);
        agent.register(uid);
        await().atMost(PATIENCE).until(() -> uid.equals(node(pod).getMetadata().getLabels()
                .get(Names.VERIFIED_POD_UID_LABEL)));
        agent.markReady(uid); // after the label: the fake agent's write does not retry a conflict
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(pod(pod).getSpec().getSchedulingGates()).isEmpty());
        client.pods().resource(pod).delete();
        await().atMost(PATIENCE).until(() -> vmi(pod) == null && node(pod) == null);

        List<Access> made = provisionerRequests();
        List<Rules> rbac = rules();

        assertThat(made).extracting(Access::toString).as("the flow was seen")
                .contains("patch nodes " + Names.nodeName(uid), "create kubevirt.io/virtualmachineinstances in " + VM_NS);
        Set<String> refused = new TreeSet<>();
        made.stream().filter(access -> rbac.stream().noneMatch(r -> r.allow(access)))
                .forEach(access -> refused.add(access.toString()));
        assertThat(refused).as("requests the provisioner's RBAC does not allow").isEmpty();
    }

    private List<Access> provisionerRequests() throws InterruptedException {
        List<Access> made = new ArrayList<>();
        for (RecordedRequest request; (request = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null; ) {
            if (USER_AGENT.equals(request.getHeader("User-Agent"))) {
                Access access = access(request.getMethod(), request.getPath());
                if (access != null) {
                    made.add(access);
                }
            }
        }
        return made;
    }

    /** The request's verb and resource, as kube-apiserver's RequestInfo makes them; null for a non-resource URL. */
    static Access access(String method, String pathAndQuery) {
        String path = pathAndQuery.split("\\?")[0];
        boolean watch = pathAndQuery.contains("watch=true");
        List<String> parts = new ArrayList<>(List.of(path.substring(1).split("/")));
        String group;
        if (parts.get(0).equals("api") && parts.size() > 2) {
            group = "";
            parts = parts.subList(2, parts.size());
        } else if (parts.get(0).equals("apis") && parts.size() > 3) {
            group = parts.get(1);
            parts = parts.subList(3, parts.size());
        } else {
            return null; // /version, discovery: every authenticated user may read them
        }
        String namespace = null;
        if (parts.get(0).equals("namespaces") && parts.size() > 2) {
            namespace = parts.get(1);
            parts = parts.subList(2, parts.size());
        }
        String resource = parts.get(0) + (parts.size() > 2 ? "/" + parts.get(2) : "");
        String name = parts.size() > 1 ? parts.get(1) : null;
        String verb = switch (method) {
            case "GET" -> name != null ? "get" : watch ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name != null ? "delete" : "deletecollection";
            default -> method.toLowerCase();
        };
        return new Access(verb, group, resource, namespace, name);
    }

    /** A Role's or ClusterRole's rules, with where they apply (null: everywhere, a ClusterRole bound cluster-wide). */
    record Rules(String namespace, List<PolicyRule> rules) {
        boolean allow(Access access) {
            return (namespace == null || namespace.equals(access.namespace())) && rules.stream().anyMatch(rule ->
                    rule.getApiGroups().contains(access.group()) && rule.getResources().contains(access.resource())
                            && rule.getVerbs().contains(access.verb())
                            && (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                            || rule.getResourceNames().contains(access.name())));
        }
    }

    private List<Rules> rules() throws IOException {
        List<Rules> rules = new ArrayList<>();
        try (InputStream yaml = Files.newInputStream(RBAC)) {
            for (HasMetadata object : client.load(yaml).items()) {
                if (object instanceof ClusterRole role) {
                    rules.add(new Rules(null, role.getRules()));
                } else if (object instanceof Role role) {
                    rules.add(new Rules(role.getMetadata().getNamespace(), role.getRules()));
                }
            }
        }
        assertThat(rules).as("roles in " + RBAC).hasSizeGreaterThan(1);
        return rules;
    }

    @Test
    void requestsAreNamedAsTheAuthorizerNamesThem() {
        assertThat(access("PATCH", "/api/v1/nodes/maroon-a")).hasToString("patch nodes maroon-a");
        assertThat(access("GET", "/api/v1/pods?watch=true&resourceVersion=4")).hasToString("watch pods");
        assertThat(access("POST", "/api/v1/namespaces/t/pods/web/eviction")).hasToString("create pods/eviction in t web");
        assertThat(access("GET", "/apis/kubevirt.io/v1/namespaces/vms/virtualmachineinstances?labelSelector=a"))
                .hasToString("list kubevirt.io/virtualmachineinstances in vms");
        assertThat(access("GET", "/version")).isNull();
        assertThat(Set.of(access("DELETE", "/api/v1/namespaces/t/secrets").verb())).containsExactly("deletecollection");
    }
}
