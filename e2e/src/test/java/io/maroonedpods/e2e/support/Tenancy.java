package io.maroonedpods.e2e.support;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;

/**
 * A tenant of the cluster as an attacker would be one: a person with a client certificate who may edit everything in
 * the tenant namespace (the stock {@code edit} role) and, like a tenant that runs a scheduler of its own, create
 * Bindings there. What RBAC allows it, admission must judge.
 */
public final class Tenancy {
    public static final String TENANT_USER = "tenant-user";

    private Tenancy() {}

    /** The tenant's identity, with its roles in {@link Installation#TENANT} granted (again: it is idempotent). */
    public static Kubeconfig tenantWhoRunsItsOwnScheduler(ControlPlane plane) {
        KubernetesClient admin = plane.adminClient();
        admin.resource(new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName("tenant-edits")
                        .withNamespace(Installation.TENANT)
                        .endMetadata()
                        .withNewRoleRef()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("ClusterRole")
                        .withName("edit")
                        .endRoleRef()
                        .addNewSubject()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("User")
                        .withName(TENANT_USER)
                        .endSubject()
                        .build())
                .createOr(r -> r.update());
        admin.resource(new RoleBuilder()
                        .withNewMetadata()
                        .withName("tenant-scheduler")
                        .withNamespace(Installation.TENANT)
                        .endMetadata()
                        .addToRules(new PolicyRuleBuilder()
                                .withApiGroups("")
                                .withResources("bindings", "pods/binding")
                                .withVerbs("create")
                                .build())
                        .build())
                .createOr(r -> r.update());
        admin.resource(new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName("tenant-scheduler")
                        .withNamespace(Installation.TENANT)
                        .endMetadata()
                        .withNewRoleRef()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("Role")
                        .withName("tenant-scheduler")
                        .endRoleRef()
                        .addNewSubject()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("User")
                        .withName(TENANT_USER)
                        .endSubject()
                        .build())
                .createOr(r -> r.update());
        Kubeconfig tenant = plane.userIdentity(TENANT_USER);
        awaitGranted(tenant, "pods", "");
        awaitGranted(tenant, "pods", "binding");
        return tenant;
    }

    /**
     * The API server authorizes from an informer's copy of RBAC, and the stock {@code edit} role is filled in by the
     * controller manager's aggregation controller: right after a grant, or on a fresh plane, it may not hold yet.
     */
    private static void awaitGranted(Kubeconfig tenant, String resource, String subresource) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        try (KubernetesClient client = tenant.client()) {
            while (!client.authorization()
                    .v1()
                    .selfSubjectAccessReview()
                    .create(new SelfSubjectAccessReviewBuilder()
                            .withNewSpec()
                            .withNewResourceAttributes()
                            .withNamespace(Installation.TENANT)
                            .withVerb("create")
                            .withResource(resource)
                            .withSubresource(subresource)
                            .endResourceAttributes()
                            .endSpec()
                            .build())
                    .getStatus()
                    .getAllowed()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError(TENANT_USER + " still may not create " + resource + "/" + subresource
                            + " in " + Installation.TENANT + " 30 s after the grant");
                }
                ControlPlane.sleep(Duration.ofMillis(100));
            }
        }
    }
}
