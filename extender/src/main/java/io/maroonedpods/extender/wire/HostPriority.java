package io.maroonedpods.extender.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** kube-scheduler's {@code HostPriority{Host, Score}}; a prioritize answer is a list of these. */
public record HostPriority(
        @JsonProperty("Host") String host,
        @JsonProperty("Score") long score) {}
