package io.maroonedpods.testcluster.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** kube-apiserver's NamespaceLifecycle admission: where objects may be created, which namespaces may not be deleted. */
class NamespaceLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ResourcePath PODS = ResourcePath.parse("/api/v1/namespaces/team-a/pods");

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void anObjectIsCreatedInANamespaceThatExists() throws Exception {
        assertThatCode(() -> NamespaceLifecycle.admitCreate(PODS, "web", json("{'metadata':{'name':'team-a'}}")))
                .doesNotThrowAnyException();
    }

    @Test
    void aCreateInAMissingNamespaceIsNotFoundNamingTheNamespace() {
        assertThatThrownBy(() -> NamespaceLifecycle.admitCreate(PODS, "web", null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(404);
                    assertThat(e.reason()).isEqualTo("NotFound");
                })
                .hasMessage("namespaces \"team-a\" not found");
    }

    @Test
    void aCreateInANamespaceBeingDeletedIsForbidden() throws Exception {
        JsonNode deleting = json("{'metadata':{'name':'team-a','deletionTimestamp':'2026-12-05T10:00:00Z'}}");
        assertThatThrownBy(() -> NamespaceLifecycle.admitCreate(PODS, "web", deleting))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(403))
                .hasMessage("pods \"web\" is forbidden: unable to create new content in namespace team-a because it "
                        + "is being terminated");
        JsonNode terminating = json("{'metadata':{'name':'team-a'},'status':{'phase':'Terminating'}}");
        assertThatThrownBy(() -> NamespaceLifecycle.admitCreate(PODS, "web", terminating))
                .hasMessageContaining("because it is being terminated");
    }

    @Test
    void clusterScopedObjectsNeedNoNamespace() {
        assertThatCode(() -> NamespaceLifecycle.admitCreate(ResourcePath.parse("/api/v1/nodes"), "n", null))
                .doesNotThrowAnyException();
    }

    @Test
    void defaultKubeSystemAndKubePublicMayNotBeDeletedOtherNamespacesMay() {
        for (String immortal : new String[] {"default", "kube-system", "kube-public"}) {
            assertThatThrownBy(
                            () -> NamespaceLifecycle.admitDelete(ResourcePath.parse("/api/v1/namespaces/" + immortal)))
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.code()).isEqualTo(403))
                    .hasMessage("namespaces \"" + immortal + "\" is forbidden: this namespace may not be deleted");
        }
        assertThatCode(() -> NamespaceLifecycle.admitDelete(ResourcePath.parse("/api/v1/namespaces/kube-node-lease")))
                .doesNotThrowAnyException();
        assertThatCode(() -> NamespaceLifecycle.admitDelete(ResourcePath.parse("/api/v1/namespaces/default/pods/web")))
                .doesNotThrowAnyException();
    }
}
