package io.maroonedpods.extender.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/** kube-scheduler's preemption types (extender/v1), field names exactly as the Go names. */
public final class Preemption {
    private Preemption() {}

    /** {@code ExtenderPreemptionArgs}: full victims unless the extender is nodeCacheCapable, then meta victims. */
    public record Args(
            @JsonProperty("Pod") Pod pod,
            @JsonProperty("NodeNameToVictims") Map<String, Victims> nodeNameToVictims,
            @JsonProperty("NodeNameToMetaVictims") Map<String, MetaVictims> nodeNameToMetaVictims) {}

    /** {@code Victims{Pods []*v1.Pod, NumPDBViolations int64}}. */
    public record Victims(
            @JsonProperty("Pods") List<Pod> pods,
            @JsonProperty("NumPDBViolations") long numPdbViolations) {}

    /** {@code MetaPod{UID}}. */
    public record MetaPod(@JsonProperty("UID") String uid) {}

    /** {@code MetaVictims{Pods []*MetaPod, NumPDBViolations int64}}. */
    public record MetaVictims(
            @JsonProperty("Pods") List<MetaPod> pods,
            @JsonProperty("NumPDBViolations") long numPdbViolations) {}

    /** {@code ExtenderPreemptionResult{NodeNameToMetaVictims}}. */
    public record Result(
            @JsonProperty("NodeNameToMetaVictims") Map<String, MetaVictims> nodeNameToMetaVictims) {}
}
