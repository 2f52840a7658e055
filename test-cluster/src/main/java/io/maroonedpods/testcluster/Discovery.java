package io.maroonedpods.testcluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maroonedpods.testcluster.store.ServedResources.Resource;
import io.maroonedpods.testcluster.store.ServedResources.Subresource;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API discovery ({@code /api}, {@code /api/v1}, {@code /apis}, {@code /apis/<group>/<version>}) of exactly what the
 * simulated cluster serves (its built-ins and the resources of the CRDs created in it), so that {@code kubectl get
 * pods,nodes,vmi} work against it and a client finds there what the server answers. Pure: a path and the served
 * resources in, the discovery document out.
 */
public final class Discovery {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VERSION = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

    private Discovery() {}

    /** The discovery document at this path, if it is a discovery path of a served group/version. */
    public static Optional<String> at(String path, List<Resource> served) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (p.equals("/api")) {
            ObjectNode versions = JSON.createObjectNode().put("kind", "APIVersions");
            versions.putArray("versions").add("v1");
            versions.putArray("serverAddressByClientCIDRs");
            return Optional.of(versions.toString());
        }
        if (p.equals("/api/v1")) {
            return Optional.of(resourceList("", "v1", served));
        }
        if (p.equals("/apis")) {
            return Optional.of(groupList(served));
        }
        String[] parts = p.split("/");
        if (parts.length == 4
                && parts[1].equals("apis")
                && served.stream()
                        .anyMatch(r -> r.group().equals(parts[2]) && r.version().equals(parts[3]))) {
            return Optional.of(resourceList(parts[2], parts[3], served));
        }
        return Optional.empty();
    }

    private static String resourceList(String group, String version, List<Resource> served) {
        ObjectNode list = JSON.createObjectNode()
                .put("kind", "APIResourceList")
                .put("apiVersion", "v1")
                .put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode resources = list.putArray("resources");
        served.stream()
                .filter(r -> r.group().equals(group) && r.version().equals(version))
                .forEach(r -> {
                    ObjectNode resource = resources
                            .addObject()
                            .put("name", r.plural())
                            .put("singularName", "")
                            .put("namespaced", r.namespaced())
                            .put("kind", r.kind());
                    ArrayNode verbs = resource.putArray("verbs");
                    r.verbs().forEach(verbs::add);
                    ArrayNode shortNames = resource.putArray("shortNames");
                    r.shortNames().forEach(shortNames::add);
                    for (Subresource sub : r.subresources()) {
                        ArrayNode subVerbs = resources
                                .addObject()
                                .put("name", r.plural() + "/" + sub.name())
                                .put("singularName", "")
                                .put("namespaced", r.namespaced())
                                .put("kind", sub.kind())
                                .putArray("verbs");
                        sub.verbs().forEach(subVerbs::add);
                    }
                });
        return list.toString();
    }

    /** Every named group with its served versions, the preferred (highest priority) first, as kube-apiserver sorts them. */
    private static String groupList(List<Resource> served) {
        Map<String, TreeSet<String>> versionsByGroup = new LinkedHashMap<>();
        served.stream()
                .filter(r -> !r.group().isEmpty())
                .forEach(r -> versionsByGroup
                        .computeIfAbsent(r.group(), g -> new TreeSet<>(Discovery::byPriority))
                        .add(r.version()));
        ObjectNode list = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        versionsByGroup.forEach((name, versions) -> {
            ObjectNode group = groups.addObject().put("name", name);
            ArrayNode entries = group.putArray("versions");
            versions.forEach(
                    v -> entries.addObject().put("groupVersion", name + "/" + v).put("version", v));
            group.set("preferredVersion", entries.get(0).deepCopy());
        });
        return list.toString();
    }

    /**
     * Kubernetes' version priority (highest first): GA before beta before alpha, then the higher major, then the
     * higher minor ({@code v1 > v1beta2 > v1beta1 > v1alpha3}); other names last, alphabetically.
     */
    static int byPriority(String a, String b) {
        Matcher ma = VERSION.matcher(a);
        Matcher mb = VERSION.matcher(b);
        boolean ka = ma.matches();
        boolean kb = mb.matches();
        if (!ka || !kb) {
            return ka ? -1 : kb ? 1 : a.compareTo(b);
        }
        return Comparator.<Matcher>comparingInt(m -> stability(m.group(2)))
                .thenComparingInt(m -> Integer.parseInt(m.group(1)))
                .thenComparingInt(m -> m.group(3) == null ? 0 : Integer.parseInt(m.group(3)))
                .reversed()
                .compare(ma, mb);
    }

    private static int stability(String level) {
        return level == null ? 2 : level.equals("beta") ? 1 : 0;
    }
}
