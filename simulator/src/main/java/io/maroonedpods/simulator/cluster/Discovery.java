package io.maroonedpods.simulator.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * API discovery ({@code /api}, {@code /api/v1}, {@code /apis}, {@code /apis/<group>/<version>}) for the resources
 * the simulated cluster serves, so that {@code kubectl get pods,nodes,vmi} work against it, not only
 * {@code kubectl get --raw}. Pure: a path in, the discovery document out.
 */
public final class Discovery {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    record Resource(String group, String version, String plural, String kind, boolean namespaced, List<String> shortNames) {
    }

    static final List<Resource> RESOURCES = List.of(
            new Resource("", "v1", "pods", "Pod", true, List.of("po")),
            new Resource("", "v1", "nodes", "Node", false, List.of("no")),
            new Resource("", "v1", "namespaces", "Namespace", false, List.of("ns")),
            new Resource("", "v1", "secrets", "Secret", true, List.of()),
            new Resource("", "v1", "events", "Event", true, List.of("ev")),
            new Resource("", "v1", "configmaps", "ConfigMap", true, List.of("cm")),
            new Resource("events.k8s.io", "v1", "events", "Event", true, List.of("ev")),
            new Resource("coordination.k8s.io", "v1", "leases", "Lease", true, List.of()),
            new Resource("kubevirt.io", "v1", "virtualmachineinstances", "VirtualMachineInstance", true, List.of("vmi", "vmis")),
            new Resource("maroonedpods.io", "v1alpha1", "maroonedpodsconfigs", "MaroonedPodsConfig", false, List.of()));

    private Discovery() {
    }

    /** The kind of the resource at this path, empty when the simulated cluster does not know it. */
    static String kindOf(io.maroonedpods.simulator.cluster.store.ResourcePath at) {
        return RESOURCES.stream()
                .filter(r -> r.group().equals(at.group()) && r.version().equals(at.version()) && r.plural().equals(at.plural()))
                .map(Resource::kind).findFirst().orElse("");
    }

    /** The discovery document at this path, if it is a discovery path. */
    public static Optional<String> at(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (p.equals("/api")) {
            ObjectNode versions = JSON.createObjectNode().put("kind", "APIVersions");
            versions.putArray("versions").add("v1");
            versions.putArray("serverAddressByClientCIDRs");
            return Optional.of(versions.toString());
        }
        if (p.equals("/api/v1")) {
            return Optional.of(resourceList("", "v1"));
        }
        if (p.equals("/apis")) {
            return Optional.of(groupList());
        }
        String[] parts = p.split("/");
        if (parts.length == 4 && parts[1].equals("apis")
                && RESOURCES.stream().anyMatch(r -> r.group().equals(parts[2]) && r.version().equals(parts[3]))) {
            return Optional.of(resourceList(parts[2], parts[3]));
        }
        return Optional.empty();
    }

    private static String resourceList(String group, String version) {
        ObjectNode list = JSON.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode resources = list.putArray("resources");
        RESOURCES.stream().filter(r -> r.group().equals(group) && r.version().equals(version)).forEach(r -> {
            ObjectNode resource = resources.addObject().put("name", r.plural()).put("singularName", "")
                    .put("namespaced", r.namespaced()).put("kind", r.kind());
            ArrayNode verbs = resource.putArray("verbs");
            VERBS.forEach(verbs::add);
            ArrayNode shortNames = resource.putArray("shortNames");
            r.shortNames().forEach(shortNames::add);
            if (r.plural().equals("pods") || r.plural().equals("nodes")) {
                resources.addObject().put("name", r.plural() + "/status").put("singularName", "").put("namespaced", r.namespaced())
                        .put("kind", r.kind()).putArray("verbs").add("get").add("patch").add("update");
            }
            if (r.plural().equals("pods")) {
                resources.addObject().put("name", "pods/binding").put("singularName", "").put("namespaced", true)
                        .put("kind", "Binding").putArray("verbs").add("create");
            }
        });
        return list.toString();
    }

    private static String groupList() {
        ObjectNode list = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        RESOURCES.stream().filter(r -> !r.group().isEmpty()).map(r -> r.group() + "/" + r.version()).distinct().forEach(gv -> {
            String[] g = gv.split("/");
            ObjectNode group = groups.addObject().put("name", g[0]);
            ObjectNode version = JSON.createObjectNode().put("groupVersion", gv).put("version", g[1]);
            group.putArray("versions").add(version);
            group.set("preferredVersion", version);
        });
        return list.toString();
    }
}
