package io.maroonedpods.api.config;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Cluster-scoped configuration of MaroonedPods; the one named {@code default} is used. Absent means all defaults.
 * Deliberately not {@link Namespaced}.
 */
@Group("maroonedpods.io")
@Version("v1alpha1")
@Kind("MaroonedPodsConfig")
@Plural("maroonedpodsconfigs")
@Singular("maroonedpodsconfig")
@ShortNames("mpc")
public class MaroonedPodsConfig extends CustomResource<MaroonedPodsConfigSpec, MaroonedPodsConfigStatus> {}
