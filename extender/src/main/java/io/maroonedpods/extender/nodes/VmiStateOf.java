package io.maroonedpods.extender.nodes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.maroonedpods.extender.filter.VmiState;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The phase of a KubeVirt VirtualMachineInstance read as a generic resource (the typed kubevirt-client module is
 * not a dependency of the extender), and when that phase began.
 */
public final class VmiStateOf {
    private VmiStateOf() {}

    public static VmiState of(GenericKubernetesResource vmi) {
        Map<String, Object> status = map(vmi.getAdditionalProperties().get("status"));
        String phase = status.get("phase") instanceof String p && !p.isEmpty() ? p : "Pending";
        Instant since = null;
        if (status.get("phaseTransitionTimestamps") instanceof List<?> transitions) {
            for (Object transition : transitions) {
                Map<String, Object> t = map(transition);
                if (phase.equals(t.get("phase")) && t.get("phaseTransitionTimestamp") instanceof String at) {
                    since = instant(at);
                }
            }
        }
        if (since == null && vmi.getMetadata() != null) {
            since = instant(vmi.getMetadata().getCreationTimestamp());
        }
        return new VmiState(phase, since);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
