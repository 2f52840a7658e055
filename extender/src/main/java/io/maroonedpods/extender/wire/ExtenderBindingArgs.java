package io.maroonedpods.extender.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** kube-scheduler's {@code ExtenderBindingArgs{PodName, PodNamespace, PodUID, Node}}. */
public record ExtenderBindingArgs(
        @JsonProperty("PodName") String podName,
        @JsonProperty("PodNamespace") String podNamespace,
        @JsonProperty("PodUID") String podUid,
        @JsonProperty("Node") String node) {

    /** Every field is required: a bind that does not say which pod, which UID or which node is refused as bad input. */
    public ExtenderBindingArgs validated() {
        require("PodName", podName);
        require("PodNamespace", podNamespace);
        require("PodUID", podUid);
        require("Node", node);
        return this;
    }

    public String podRef() {
        return podNamespace + "/" + podName;
    }

    private static void require(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new BadRequestException(field + ": required (got null or empty)");
        }
    }
}
