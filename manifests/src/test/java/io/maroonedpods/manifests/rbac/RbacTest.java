package io.maroonedpods.manifests.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.manifests.Kustomize;
import io.maroonedpods.manifests.Repo;
import io.maroonedpods.manifests.rbac.Permissions.Component;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The RBAC of each install is exactly the justified table in {@link Permissions}, with no wildcard and no leak. */
class RbacTest {
    static final List<Path> INSTALLS = List.of(Repo.SECONDARY, Repo.MAIN, Repo.GATED);

    @TestFactory
    Stream<DynamicTest> everyServiceAccountHasExactlyTheJustifiedPermissions() {
        return INSTALLS.stream()
                .flatMap(dir -> accounts(dir).entrySet().stream()
                        .map(e -> DynamicTest.dynamicTest(Repo.relative(dir) + " " + e.getKey(), () -> {
                            EffectiveRbac actual = EffectiveRbac.of(
                                    Kustomize.build(dir), EffectiveConfig.DEFAULT_SYSTEM_NAMESPACE, e.getKey());
                            Set<Grant> expected = Permissions.grants(e.getValue());
                            assertThat(minus(actual.grants(), expected))
                                    .as("granted to %s but not in Permissions.TABLE", e.getKey())
                                    .isEmpty();
                            assertThat(minus(expected, actual.grants()))
                                    .as("in Permissions.TABLE but not granted to %s", e.getKey())
                                    .isEmpty();
                            assertThat(actual.stockRoles())
                                    .as("stock roles bound to %s", e.getKey())
                                    .containsExactlyInAnyOrderElementsOf(Permissions.stockRoles(e.getValue()).stream()
                                            .map(Permissions.StockRole::id)
                                            .toList());
                        })));
    }

    @Test
    void everyTableRowSaysWhy() {
        assertThat(Permissions.TABLE)
                .allSatisfy(r -> assertThat(r.why()).as(r.toString()).hasSizeGreaterThan(15));
        assertThat(Permissions.STOCK_ROLES).allSatisfy(r -> assertThat(r.why()).hasSizeGreaterThan(15));
    }

    @Test
    void noRoleUsesAWildcardOrAnEscalationVerb() {
        for (Path dir : Repo.KUSTOMIZATIONS) {
            for (HasMetadata o : Kustomize.build(dir)) {
                List<PolicyRule> rules =
                        o instanceof ClusterRole c ? c.getRules() : o instanceof Role r ? r.getRules() : List.of();
                if (o instanceof ClusterRole c) {
                    assertThat(c.getAggregationRule())
                            .as("aggregated ClusterRole %s", c.getMetadata().getName())
                            .isNull();
                }
                for (PolicyRule rule : rules) {
                    String where = Repo.relative(dir) + " " + o.getKind() + " "
                            + o.getMetadata().getName();
                    Stream.of(rule.getApiGroups(), rule.getResources(), rule.getVerbs(), rule.getResourceNames())
                            .filter(java.util.Objects::nonNull)
                            .flatMap(List::stream)
                            .forEach(v -> assertThat(v).as(where).doesNotContain("*"));
                    assertThat(rule.getNonResourceURLs()).as(where).isNullOrEmpty();
                    assertThat(rule.getVerbs())
                            .as(where)
                            .doesNotContain("escalate", "bind", "impersonate", "deletecollection");
                    assertThat(rule.getApiGroups()).as(where).doesNotContain("rbac.authorization.k8s.io");
                }
            }
        }
    }

    @Test
    void theExtenderCannotTouchSecretsInEitherMode() {
        for (Path dir : INSTALLS) {
            String account = accountRunning(dir, "extender");
            EffectiveRbac rbac =
                    EffectiveRbac.of(Kustomize.build(dir), EffectiveConfig.DEFAULT_SYSTEM_NAMESPACE, account);
            assertThat(rbac.grants())
                    .as("%s: %s", Repo.relative(dir), account)
                    .noneMatch(g -> g.resource().startsWith("secrets"));
            // Stock roles are the API server's; none of these grants Secrets upstream.
            assertThat(rbac.stockRoles())
                    .allSatisfy(r -> assertThat(r)
                            .containsAnyOf(
                                    "system:kube-scheduler",
                                    "system:volume-scheduler",
                                    "extension-apiserver-authentication-reader"));
        }
    }

    @Test
    void theProvisionerReadsSecretsOnlyInTheVmiNamespaceAndOnlyWritesTheVmsCredentialsInKubeSystem() {
        for (Path dir : INSTALLS) {
            String account = accountRunning(dir, "provisioner");
            EffectiveRbac rbac =
                    EffectiveRbac.of(Kustomize.build(dir), EffectiveConfig.DEFAULT_SYSTEM_NAMESPACE, account);
            List<Grant> secrets = rbac.grants().stream()
                    .filter(g -> g.resource().equals("secrets"))
                    .toList();
            assertThat(secrets).as("no cluster-wide Secret access").noneMatch(g -> g.namespace() == null);
            assertThat(secrets)
                    .as("no join token is read: no Secret read outside the VMI namespace")
                    .filteredOn(g -> Set.of("get", "list", "watch").contains(g.verb()))
                    .allSatisfy(g -> assertThat(g.namespace()).isEqualTo(Names.DEFAULT_VMI_NAMESPACE));
            assertThat(secrets)
                    .filteredOn(g -> g.namespace().equals(Names.K3S_NODE_PASSWORD_NAMESPACE))
                    .extracting(Grant::verb)
                    .containsOnly("create", "delete");
            assertThat(rbac.stockRoles()).isEmpty();
        }
    }

    @Test
    void onlyTheProvisionerCreatesOrDeletesVmis() {
        for (Path dir : INSTALLS) {
            for (String account : accounts(dir).keySet()) {
                if (account.equals(accountRunning(dir, "provisioner"))) {
                    continue;
                }
                EffectiveRbac rbac =
                        EffectiveRbac.of(Kustomize.build(dir), EffectiveConfig.DEFAULT_SYSTEM_NAMESPACE, account);
                assertThat(rbac.grants())
                        .as(account)
                        .noneMatch(g -> g.resource().equals("virtualmachineinstances")
                                && !Set.of("get", "list", "watch").contains(g.verb()));
            }
        }
    }

    private static List<Grant> minus(Set<Grant> a, Set<Grant> b) {
        return a.stream().filter(g -> !b.contains(g)).toList();
    }

    /** ServiceAccount of each Deployment in the install, with the components its containers run. */
    static Map<String, Set<Component>> accounts(Path dir) {
        Map<String, Set<Component>> accounts = new LinkedHashMap<>();
        for (Deployment d : Kustomize.all(dir, Deployment.class)) {
            Set<Component> components = d.getSpec().getTemplate().getSpec().getContainers().stream()
                    .map(c -> switch (c.getName()) {
                        case "provisioner" -> Component.PROVISIONER;
                        case "extender" -> Component.EXTENDER;
                        case "kube-scheduler" -> Component.SCHEDULER;
                        default ->
                            throw new AssertionError("unknown container " + c.getName() + " in "
                                    + d.getMetadata().getName());
                    })
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(Component.class)));
            accounts.merge(d.getSpec().getTemplate().getSpec().getServiceAccountName(), components, (a, b) -> {
                a.addAll(b);
                return a;
            });
        }
        return accounts;
    }

    static String accountRunning(Path dir, String container) {
        return Kustomize.all(dir, Deployment.class).stream()
                .filter(d -> d.getSpec().getTemplate().getSpec().getContainers().stream()
                        .anyMatch(c -> c.getName().equals(container)))
                .map(d -> d.getSpec().getTemplate().getSpec().getServiceAccountName())
                .findFirst()
                .orElseThrow(() -> new AssertionError(Repo.relative(dir) + " runs no " + container));
    }
}
