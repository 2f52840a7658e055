package io.maroonedpods.extender.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** kube-scheduler's {@code ExtenderBindingResult{Error}}: empty means bound. */
public record ExtenderBindingResult(@JsonProperty("Error") String error) {}
