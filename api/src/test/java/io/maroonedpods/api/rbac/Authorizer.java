package io.maroonedpods.api.rbac;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What kube-apiserver's RBAC authorizer would say of a component's requests, given the Roles and ClusterRoles of one
 * of our RBAC manifests (each assumed bound to the component: a ClusterRole cluster-wide, a Role in its namespace).
 * The API servers our tests run against check no RBAC, so without this a new kind of request (a patch where an update
 * was) would first fail in a real cluster, with 403. Shared by the components' tests (this module's test-jar).
 */
public final class Authorizer {
    private final List<Rules> rules;

    private Authorizer(List<Rules> rules) {
        this.rules = rules;
    }

    /** One request, as the authorizer sees it: kube-apiserver's RequestInfo. */
    public record Access(String verb, String group, String resource, String namespace, String name) {
        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource
                    + (namespace == null ? "" : " in " + namespace) + (name == null ? "" : " " + name);
        }
    }

    /** A Role's or ClusterRole's rules, with where they apply (null: everywhere). */
    private record Rules(String namespace, List<PolicyRule> rules) {
        boolean allow(Access access) {
            return (namespace == null || namespace.equals(access.namespace()))
                    && rules.stream()
                            .anyMatch(rule -> rule.getApiGroups().contains(access.group())
                                    && rule.getResources().contains(access.resource())
                                    && rule.getVerbs().contains(access.verb())
                                    && (rule.getResourceNames() == null
                                            || rule.getResourceNames().isEmpty()
                                            || rule.getResourceNames().contains(access.name())));
        }
    }

    /** The roles of an RBAC manifest such as manifests/base/rbac/provisioner.yaml. */
    public static Authorizer of(Path manifest) throws IOException {
        List<Rules> rules = new ArrayList<>();
        try (InputStream yaml = Files.newInputStream(manifest)) {
            Object parsed = Serialization.unmarshal(yaml);
            for (Object object : parsed instanceof List<?> list ? list : List.of(parsed)) {
                if (object instanceof ClusterRole role) {
                    rules.add(new Rules(null, role.getRules()));
                } else if (object instanceof Role role) {
                    rules.add(new Rules(role.getMetadata().getNamespace(), role.getRules()));
                } else if (!(object instanceof HasMetadata)) {
                    throw new IOException(manifest + ": not a Kubernetes object: " + object);
                }
            }
        }
        if (rules.isEmpty()) {
            throw new IOException(manifest + ": no Role or ClusterRole");
        }
        return new Authorizer(rules);
    }

    public boolean allows(Access access) {
        return rules.stream().anyMatch(r -> r.allow(access));
    }

    /** The requests among {@code made} that no rule allows, named and sorted. */
    public Set<String> refused(Collection<Access> made) {
        Set<String> refused = new TreeSet<>();
        made.stream().filter(access -> !allows(access)).forEach(access -> refused.add(access.toString()));
        return refused;
    }

    /** The request's verb and resource, as kube-apiserver's RequestInfo makes them; null for a non-resource URL. */
    public static Access access(String method, String pathAndQuery) {
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
}
