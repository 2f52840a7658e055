package io.maroonedpods.api.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Observed state: which generation was applied, the warm pool's counts and conditions (Ready, WarmPoolFilled). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MaroonedPodsConfigStatus(Long observedGeneration, WarmPoolStatus warmPool, List<Condition> conditions) {

    public record WarmPoolStatus(Integer total, Integer available, Integer claimed) {}
}
