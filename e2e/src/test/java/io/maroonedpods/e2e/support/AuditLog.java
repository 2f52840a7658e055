package io.maroonedpods.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The API server's audit log (JSON lines, Metadata level, MaroonedPods' ServiceAccounts only): who made which
 * request. Requests are told apart by User-Agent: the provisioner's and the extender's own, kube-scheduler's.
 */
public final class AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One audited request. {@code name} is empty for collections; {@code watch} for watches. */
    public record Request(
            String userAgent, String verb, String resource, String namespace, String name, int code, String uri) {
        public String what() {
            return verb + " " + resource;
        }

        /**
         * True when the request concerns the pod with this name and UID: the pod itself, its Binding, an Event about
         * it (named {@code <pod>.<suffix>}), or its VM's objects (VMI, Secrets, Node: their names carry the UID).
         */
        public boolean concerns(String podName, String podUid) {
            return name.contains(podUid)
                    || name.equals(podName)
                    || resource.equals("events") && name.startsWith(podName + ".");
        }
    }

    private AuditLog() {}

    public static List<Request> read(Path log) {
        if (!Files.exists(log)) {
            return List.of();
        }
        try {
            List<Request> requests = new ArrayList<>();
            List<String> lines = Files.readAllLines(log);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank() || i == lines.size() - 1 && !line.endsWith("}")) {
                    continue; // the API server is still writing the last one
                }
                JsonNode event = JSON.readTree(line);
                JsonNode ref = event.path("objectRef");
                String resource = ref.path("resource").asText("")
                        + (ref.hasNonNull("subresource")
                                ? "/" + ref.path("subresource").asText()
                                : "");
                requests.add(new Request(
                        event.path("userAgent").asText(""),
                        event.path("verb").asText(""),
                        resource,
                        ref.path("namespace").asText(""),
                        ref.path("name").asText(""),
                        event.path("responseStatus").path("code").asInt(0),
                        java.net.URLDecoder.decode(
                                event.path("requestURI").asText(""), java.nio.charset.StandardCharsets.UTF_8)));
            }
            return requests;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Predicate<Request> byAgent(String userAgentPrefix) {
        return r -> r.userAgent().startsWith(userAgentPrefix);
    }

    /** Counts by "verb resource", sorted. */
    public static Map<String, Long> countByWhat(List<Request> requests) {
        return requests.stream().collect(Collectors.groupingBy(Request::what, TreeMap::new, Collectors.counting()));
    }

    /**
     * The requests that concern each of these pods, averaged per pod by request, then what concerns none of them
     * (watches, leader election, sweeps) in total.
     */
    public static String perPodTable(String title, List<Request> requests, Map<String, String> uidByPodName) {
        List<Request> attributed = requests.stream()
                .filter(r -> uidByPodName.entrySet().stream().anyMatch(p -> r.concerns(p.getKey(), p.getValue())))
                .toList();
        List<Request> shared =
                requests.stream().filter(r -> !attributed.contains(r)).toList();
        return table(title + ", per pod", attributed, uidByPodName.size())
                + table(title + ", concerning no single pod", shared, uidByPodName.size());
    }

    /** A table of counts by request, with the average per pod beside each. */
    public static String table(String title, List<Request> requests, int pods) {
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "%s: %d requests, %.1f per pod%n",
                title,
                requests.size(),
                pods == 0 ? 0.0 : requests.size() / (double) pods));
        countByWhat(requests)
                .forEach((what, count) -> out.append(String.format(
                        Locale.ROOT, "  %-45s %6d %8.2f%n", what, count, pods == 0 ? 0.0 : count / (double) pods)));
        return out.toString();
    }
}
