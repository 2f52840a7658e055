package io.maroonedpods.manifests.rbac;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a ServiceAccount may do according to a set of built objects: every binding naming it, resolved to the Role or
 * ClusterRole it references and expanded into {@link Grant}s. A role the objects do not define is a stock role of the
 * API server and is reported by reference instead.
 */
public record EffectiveRbac(Set<Grant> grants, Set<String> stockRoles) {

    public static EffectiveRbac of(List<HasMetadata> objects, String namespace, String serviceAccount) {
        Set<Grant> grants = new LinkedHashSet<>();
        Set<String> stock = new LinkedHashSet<>();
        for (HasMetadata o : objects) {
            if (o instanceof ClusterRoleBinding b && names(b.getSubjects(), namespace, serviceAccount)) {
                resolve(objects, b.getRoleRef(), null, null, grants, stock);
            } else if (o instanceof RoleBinding b && names(b.getSubjects(), namespace, serviceAccount)) {
                // A RoleBinding to a ClusterRole grants that ClusterRole's rules in the binding's namespace only.
                String where = b.getMetadata().getNamespace();
                resolve(objects, b.getRoleRef(), where, where, grants, stock);
            }
        }
        return new EffectiveRbac(grants, stock);
    }

    /** Expands one rule; the caller has checked there are no wildcards or non-resource URLs. */
    public static List<Grant> expand(PolicyRule rule, String namespace) {
        List<String> names =
                rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                        ? java.util.Collections.singletonList(null)
                        : rule.getResourceNames();
        List<Grant> grants = new ArrayList<>();
        for (String group : rule.getApiGroups()) {
            for (String resource : rule.getResources()) {
                for (String verb : rule.getVerbs()) {
                    for (String name : names) {
                        grants.add(new Grant(namespace, group, resource, verb, name));
                    }
                }
            }
        }
        return grants;
    }

    private static void resolve(
            List<HasMetadata> objects,
            RoleRef ref,
            String roleNamespace,
            String grantNamespace,
            Set<Grant> grants,
            Set<String> stock) {
        List<PolicyRule> rules = null;
        for (HasMetadata o : objects) {
            if (!o.getMetadata().getName().equals(ref.getName())) {
                continue;
            }
            if ("ClusterRole".equals(ref.getKind()) && o instanceof ClusterRole role) {
                rules = role.getRules();
            } else if ("Role".equals(ref.getKind())
                    && o instanceof Role role
                    && Objects.equals(role.getMetadata().getNamespace(), roleNamespace)) {
                rules = role.getRules();
            }
        }
        if (rules == null) {
            // A ClusterRole bound by a RoleBinding would count only in that namespace: name the binding's namespace
            // then.
            String where = "ClusterRole".equals(ref.getKind()) && grantNamespace != null ? " in " + grantNamespace : "";
            stock.add(Permissions.StockRole.id(
                            ref.getKind(), "ClusterRole".equals(ref.getKind()) ? null : roleNamespace, ref.getName())
                    + where);
            return;
        }
        for (PolicyRule rule : rules) {
            grants.addAll(expand(rule, grantNamespace));
        }
    }

    private static boolean names(List<Subject> subjects, String namespace, String serviceAccount) {
        return subjects != null
                && subjects.stream()
                        .anyMatch(s -> "ServiceAccount".equals(s.getKind())
                                && serviceAccount.equals(s.getName())
                                && namespace.equals(s.getNamespace()));
    }
}
