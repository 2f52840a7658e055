package io.maroonedpods.api.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maroonedpods.api.rbac.Authorizer.Access;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthorizerTest {
    @TempDir
    Path dir;

    @Test
    void requestsAreNamedAsTheAuthorizerNamesThem() {
        assertThat(Authorizer.access("PATCH", "/api/v1/nodes/maroon-a")).hasToString("patch nodes maroon-a");
        assertThat(Authorizer.access("GET", "/api/v1/pods?watch=true&resourceVersion=4"))
                .hasToString("watch pods");
        assertThat(Authorizer.access("POST", "/api/v1/namespaces/t/pods/web/eviction"))
                .hasToString("create pods/eviction in t web");
        assertThat(Authorizer.access(
                        "GET", "/apis/kubevirt.io/v1/namespaces/vms/virtualmachineinstances?labelSelector=a"))
                .hasToString("list kubevirt.io/virtualmachineinstances in vms");
        assertThat(Authorizer.access("GET", "/version")).isNull();
        assertThat(Set.of(Authorizer.access("DELETE", "/api/v1/namespaces/t/secrets")
                        .verb()))
                .containsExactly("deletecollection");
    }

    @Test
    void aClusterRoleAllowsEverywhereARoleInItsNamespaceAndResourceNamesNarrowARule() throws IOException {
        Authorizer authorizer = Authorizer.of(manifest("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: reader
                rules:
                  - apiGroups: [""]
                    resources: ["nodes"]
                    verbs: ["get", "list"]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  name: lease
                  namespace: system
                rules:
                  - apiGroups: ["coordination.k8s.io"]
                    resources: ["leases"]
                    resourceNames: ["leader"]
                    verbs: ["get", "patch"]
                """));
        List<Access> made = List.of(
                Authorizer.access("GET", "/api/v1/nodes/a"),
                Authorizer.access("GET", "/api/v1/nodes?watch=true"),
                Authorizer.access("PATCH", "/apis/coordination.k8s.io/v1/namespaces/system/leases/leader"),
                Authorizer.access("PATCH", "/apis/coordination.k8s.io/v1/namespaces/system/leases/other"),
                Authorizer.access("PATCH", "/apis/coordination.k8s.io/v1/namespaces/elsewhere/leases/leader"));
        assertThat(authorizer.refused(made))
                .containsExactly(
                        "patch coordination.k8s.io/leases in elsewhere leader",
                        "patch coordination.k8s.io/leases in system other",
                        "watch nodes");
    }

    @Test
    void aManifestWithoutRolesIsRefused() throws IOException {
        Path none = manifest("""
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: lonely
                """);
        assertThatThrownBy(() -> Authorizer.of(none)).hasMessageContaining("no Role or ClusterRole");
    }

    private Path manifest(String yaml) throws IOException {
        Path file = dir.resolve("rbac.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
