package io.maroonedpods.testcluster;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request path of the Kubernetes API as the server receives it ({@code /api/v1/namespaces/a/pods?watch=true}),
 * split into the path and its decoded query parameters.
 */
public record ApiPath(String path, Map<String, String> query) {

    /** {@code pods/{name}/binding} (what kube-scheduler posts) or the older {@code bindings} collection. */
    private static final Pattern BINDING =
            Pattern.compile("/api/v1/namespaces/(?<namespace>[^/]+)/(pods/(?<name>[^/]+)/binding|bindings)");

    public static ApiPath parse(String raw) {
        int question = raw.indexOf('?');
        String path = question < 0 ? raw : raw.substring(0, question);
        Map<String, String> query = new LinkedHashMap<>();
        if (question >= 0) {
            for (String pair : raw.substring(question + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                query.put(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return new ApiPath(path, Map.copyOf(query));
    }

    public String param(String name) {
        return query.get(name);
    }

    public boolean isWatch() {
        return "true".equals(query.get("watch")) || "1".equals(query.get("watch"));
    }

    /**
     * The namespace and pod name when this path creates a Binding, else null. The pod name is null for the
     * {@code bindings} collection, where the Binding's own name names the pod.
     */
    public String[] bindingTarget() {
        Matcher m = BINDING.matcher(path);
        return m.matches() ? new String[] {m.group("namespace"), m.group("name")} : null;
    }

    /** True when the path addresses the given resource plural (a list of it, or one object of it). */
    public boolean addresses(String plural) {
        String[] segments = path.split("/");
        int n = segments.length;
        return n >= 1 && segments[n - 1].equals(plural) || n >= 2 && segments[n - 2].equals(plural);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
