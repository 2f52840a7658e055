package io.maroonedpods.simulator.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kube-scheduler's NodeAffinity plugin for a pod's required placement, as pure functions: {@code spec.nodeSelector}
 * (every label equal) and {@code requiredDuringSchedulingIgnoredDuringExecution} (the terms ORed; in a term, its
 * matchExpressions on labels and matchFields on {@code metadata.name} ANDed; an empty term or one that does not parse
 * matches no node), with the plugin's PreFilter, which limits the nodes looked at to those that every term names by
 * {@code metadata.name In}. Preferred affinity only scores, and nothing here scores: it is not read.
 *
 * @param nodeSelector the pod's nodeSelector (empty: none)
 * @param terms        the required nodeSelectorTerms, null when the pod has no required node affinity
 */
public record NodeAffinity(Map<String, String> nodeSelector, List<NodeSelectorTerm> terms) {
    /** The plugin's Filter reason ({@code ErrReasonPod}). */
    public static final String REJECTED = "node(s) didn't match Pod's node affinity/selector";
    /** The plugin's PreFilter reason when every term names nodes by metadata.name and none is left. */
    public static final String CONFLICT = "pod affinity terms conflict";
    /** kube-scheduler's reason for the nodes a PreFilter result left out. */
    public static final String NOT_IN_PRE_FILTER_RESULT = "node(s) didn't satisfy plugin(s) [NodeAffinity]";

    private static final NodeAffinity NONE = new NodeAffinity(Map.of(), null);

    public static NodeAffinity of(Pod pod) {
        if (pod.getSpec() == null) {
            return NONE;
        }
        Map<String, String> selector = pod.getSpec().getNodeSelector() == null
                ? Map.of()
                : pod.getSpec().getNodeSelector();
        var affinity = pod.getSpec().getAffinity();
        var required = affinity == null || affinity.getNodeAffinity() == null
                ? null
                : affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        List<NodeSelectorTerm> terms = required == null
                ? null
                : required.getNodeSelectorTerms() == null ? List.of() : required.getNodeSelectorTerms();
        return selector.isEmpty() && terms == null ? NONE : new NodeAffinity(selector, terms);
    }

    public boolean isEmpty() {
        return nodeSelector.isEmpty() && terms == null;
    }

    /** What PreFilter leaves to filter: every node, only the named ones, or none (the terms conflict). */
    public sealed interface PreFilter {}

    public record AllNodes() implements PreFilter {}

    public record OnlyNodes(Set<String> names) implements PreFilter {}

    public record Conflict() implements PreFilter {}

    /** The plugin's PreFilter: the union over the terms of each term's metadata.name In values (intersected). */
    public PreFilter preFilter() {
        if (terms == null || terms.isEmpty()) {
            return new AllNodes();
        }
        Set<String> names = new HashSet<>();
        for (NodeSelectorTerm term : terms) {
            Set<String> termNames = null;
            for (NodeSelectorRequirement field : list(term.getMatchFields())) {
                if ("metadata.name".equals(field.getKey()) && "In".equals(field.getOperator())) {
                    Set<String> values = new HashSet<>(list(field.getValues()));
                    if (termNames == null) {
                        termNames = values;
                    } else {
                        termNames.retainAll(values);
                    }
                }
            }
            if (termNames == null) {
                return new AllNodes();
            }
            names.addAll(termNames);
        }
        return names.isEmpty() ? new Conflict() : new OnlyNodes(Set.copyOf(names));
    }

    /** The plugin's Filter: whether the node meets the nodeSelector and one of the required terms. */
    public boolean matches(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels() == null
                ? Map.of()
                : node.getMetadata().getLabels();
        for (Map.Entry<String, String> wanted : nodeSelector.entrySet()) {
            if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
                return false;
            }
        }
        if (terms == null) {
            return true;
        }
        String name = node.getMetadata().getName();
        return terms.stream().anyMatch(term -> matches(term, labels, name));
    }

    private static boolean matches(NodeSelectorTerm term, Map<String, String> labels, String nodeName) {
        List<NodeSelectorRequirement> expressions = list(term.getMatchExpressions());
        List<NodeSelectorRequirement> fields = list(term.getMatchFields());
        if (expressions.isEmpty() && fields.isEmpty()) {
            return false;
        }
        return expressions.stream().allMatch(e -> matchesLabel(e, labels))
                && fields.stream().allMatch(f -> matchesField(f, nodeName));
    }

    /** A matchExpressions requirement, as labels.Requirement evaluates it; one that does not parse matches nothing. */
    static boolean matchesLabel(NodeSelectorRequirement requirement, Map<String, String> labels) {
        List<String> values = list(requirement.getValues());
        String key = requirement.getKey();
        String value = labels.get(key);
        return switch (requirement.getOperator() == null ? "" : requirement.getOperator()) {
            case "In" -> !values.isEmpty() && value != null && values.contains(value);
            case "NotIn" -> !values.isEmpty() && (value == null || !values.contains(value));
            case "Exists" -> values.isEmpty() && value != null;
            case "DoesNotExist" -> values.isEmpty() && value == null;
            case "Gt", "Lt" -> compares(requirement.getOperator(), values, value);
            default -> false;
        };
    }

    /** Gt/Lt: exactly one integer value; the node's label must exist and be an integer too. */
    private static boolean compares(String operator, List<String> values, String label) {
        if (values.size() != 1 || label == null) {
            return false;
        }
        try {
            long bound = Long.parseLong(values.get(0));
            long actual = Long.parseLong(label);
            return operator.equals("Gt") ? actual > bound : actual < bound;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A matchFields requirement: In or NotIn with exactly one value; the node's only field is metadata.name. */
    static boolean matchesField(NodeSelectorRequirement requirement, String nodeName) {
        List<String> values = list(requirement.getValues());
        if (values.size() != 1) {
            return false;
        }
        String actual = "metadata.name".equals(requirement.getKey()) ? nodeName : "";
        return switch (requirement.getOperator() == null ? "" : requirement.getOperator()) {
            case "In" -> actual.equals(values.get(0));
            case "NotIn" -> !actual.equals(values.get(0));
            default -> false;
        };
    }

    private static <T> List<T> list(List<T> maybe) {
        return maybe == null ? List.of() : maybe;
    }
}
