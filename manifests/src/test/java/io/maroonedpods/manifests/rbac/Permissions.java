package io.maroonedpods.manifests.rbac;

import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The permissions each component needs, one row per use with the API call that justifies it (class names are those of
 * the provisioner and extender modules). RbacTest compares this table, expanded, with what the built Roles and
 * ClusterRoles grant: a rule without a row here, or a row without a rule, fails the build. Change both together.
 */
public final class Permissions {
    private Permissions() {}

    public enum Component {
        PROVISIONER,
        EXTENDER,
        SCHEDULER
    }

    /** A row: component, where (null = cluster-wide), API group, resource, verbs, object names (empty = any), why. */
    public record Row(
            Component component,
            String namespace,
            String apiGroup,
            String resource,
            List<String> verbs,
            List<String> resourceNames,
            String why) {}

    /** A stock Kubernetes role bound as is (its rules are the API server's, not ours). */
    public record StockRole(Component component, String kind, String namespace, String name, String why) {

        /** How {@link EffectiveRbac} names a bound role: kind, namespace/name for a Role, name for a ClusterRole. */
        public static String id(String kind, String namespace, String name) {
            return kind + " " + (namespace == null ? name : namespace + "/" + name);
        }

        public String id() {
            return id(kind, namespace, name);
        }
    }

    static final String CLUSTER = null;
    static final String SYSTEM = EffectiveConfig.DEFAULT_SYSTEM_NAMESPACE;
    static final String VMIS = Names.DEFAULT_VMI_NAMESPACE;
    /** The provisioner's leader-election lease (fact of the provisioner module; not yet an api constant). */
    static final String PROVISIONER_LEASE = io.maroonedpods.api.Names.PROVISIONER_LEASE;

    public static final List<Row> TABLE = List.of(
            // provisioner
            row(
                    Component.PROVISIONER,
                    CLUSTER,
                    "",
                    "pods",
                    List.of("list", "watch"),
                    "JOSDK primary informer on opted-in pods (PodWatch); the sweep lists them; the isolation guard "
                            + "watches bound pods (PodWatch.boundPods) and a claim lists a pool node's pods"),
            row(
                    Component.PROVISIONER,
                    CLUSTER,
                    "",
                    "pods",
                    List.of("get"),
                    "PodSteps and Sweeper re-read a pod before acting on it"),
            row(
                    Component.PROVISIONER,
                    CLUSTER,
                    "",
                    "pods",
                    List.of("patch"),
                    "PodEdits (edit = JSON patch): the dedicated-taint toleration; removing the vm-ready gate"),
            row(
                    Component.PROVISIONER,
                    CLUSTER,
                    "",
                    "pods",
                    List.of("delete"),
                    "IsolationGuard: deletes a stranger on a dedicated node with grace period 0 (narrowed to pods on "
                            + "maroon-* nodes by the ValidatingAdmissionPolicy maroonedpods-provisioner-pod-deletes)"),
            row(
                    Component.PROVISIONER,
                    CLUSTER,
                    "",
                    "pods/status",
                    List.of("patch"),
                    "PodEdits.fail: a pod bound to its node whose VM is lost is marked Failed (reason VmLost)"),
            row(
                    Component.PROVISIONER,
                    CLUSTER,
                    "",
                    "nodes",
                    List.of("list", "watch"),
                    "Watches: node informer sees maroon-<uid> register; the sweep lists nodes"),
            row(
                    Component.PROVISIONER,
                    CLUSTER,
                    "",
                    "nodes",
                    List.of("get"),
                    "NodeLabeler re-reads a node whose label patch was refused; PoolClaim reads the pool node it claims"),
            row(
                    Component.PROVISIONER,
                    CLUSTER,
                    "",
                    "nodes",
                    List.of("patch"),
                    "NodeLabeler: sets " + Names.VERIFIED_POD_UID_LABEL + " with a JSON patch that tests the evidence;"
                            + " PoolClaim and PoolSpares: a pool node's claim and available labels, the same way"),
            row(
                    Component.PROVISIONER,
                    CLUSTER,
                    "",
                    "nodes",
                    List.of("delete"),
                    "Teardown: the node of a deleted or finished pod, and orphans found by the sweep"),
            row(
                    Component.PROVISIONER,
                    CLUSTER,
                    "events.k8s.io",
                    "events",
                    List.of("create"),
                    "EventPublisher: VmiCreated, NodeVerified, ProvisioningFailed... on the user's pod"),
            row(
                    Component.PROVISIONER,
                    CLUSTER,
                    Names.GROUP,
                    "maroonedpodsconfigs",
                    List.of("get", "list", "watch"),
                    "ConfigSource reads the config named default; the config informer follows its changes"),
            row(
                    Component.PROVISIONER,
                    CLUSTER,
                    Names.GROUP,
                    "maroonedpodsconfigs/status",
                    List.of("patch"),
                    "ConfigStatusReconciler: UpdateControl.patchStatus (observedGeneration, warm pool, conditions)"),
            row(
                    Component.PROVISIONER,
                    VMIS,
                    "kubevirt.io",
                    "virtualmachineinstances",
                    List.of("list", "watch"),
                    "Watches: VMI informer (phase, IPs); the sweep lists managed VMIs"),
            row(
                    Component.PROVISIONER,
                    VMIS,
                    "kubevirt.io",
                    "virtualmachineinstances",
                    List.of("get", "create", "delete"),
                    "PodSteps creates the pod's VMI ahead of binding (get after a conflict); Teardown deletes it"),
            row(
                    Component.PROVISIONER,
                    VMIS,
                    "kubevirt.io",
                    "virtualmachineinstances",
                    List.of("patch"),
                    "warm pool: a claim relabels the pool VMI with a JSON patch that tests its labels (the lock); the"
                            + " keeper marks it available or retires it, a quarantine marks it"),
            row(
                    Component.PROVISIONER,
                    VMIS,
                    "",
                    "secrets",
                    List.of("get", "list", "create", "update", "patch", "delete"),
                    "userdata Secret: createOr(update), edit (owner reference), sweep list, Teardown delete; names are "
                            + "per pod, so no resourceNames"),
            row(
                    Component.PROVISIONER,
                    SYSTEM,
                    "coordination.k8s.io",
                    "leases",
                    List.of("create"),
                    "leader election: creates the lease the first time (create cannot be scoped by name)"),
            rowNamed(
                    Component.PROVISIONER,
                    SYSTEM,
                    "coordination.k8s.io",
                    "leases",
                    List.of("get", "patch"),
                    PROVISIONER_LEASE,
                    "leader election: reads and renews its own lease (fabric8's LeaseLock patches it)"),
            row(
                    Component.PROVISIONER,
                    Names.K3S_NODE_PASSWORD_NAMESPACE,
                    "",
                    "secrets",
                    List.of("create", "delete"),
                    "JoinCredentials: each VM's bootstrap-token-<id> and <node>.node-password.k3s, created before it boots,"
                            + " deleted on verification (the token) and teardown (names per VM; narrowed by the"
                            + " ValidatingAdmissionPolicies in admission/)"),
            // extender
            row(
                    Component.EXTENDER,
                    CLUSTER,
                    "",
                    "pods",
                    List.of("get"),
                    "Binder re-reads the pod (UID, opt-in) before and after binding; no pod informer, no pod list"),
            row(
                    Component.EXTENDER,
                    CLUSTER,
                    "",
                    "nodes",
                    List.of("list", "watch"),
                    "InformerView: node informer the nodeCacheCapable filter decides from"),
            row(
                    Component.EXTENDER,
                    CLUSTER,
                    "",
                    "nodes",
                    List.of("get"),
                    "Binder re-reads the node to check it is the pod's verified node"),
            row(
                    Component.EXTENDER,
                    CLUSTER,
                    "",
                    "bindings",
                    List.of("create"),
                    "Binder: client.bindings().create() posts the Binding to namespaces/<ns>/bindings"),
            row(
                    Component.EXTENDER,
                    CLUSTER,
                    "events.k8s.io",
                    "events",
                    List.of("create"),
                    "Binder: the Bound Event on the pod it bound (BoundEvent)"),
            row(
                    Component.EXTENDER,
                    VMIS,
                    "kubevirt.io",
                    "virtualmachineinstances",
                    List.of("list", "watch"),
                    "InformerView: VMI informer; filter reasons name the VMI's phase and age while it boots"),
            // the maroon-scheduler's own kube-scheduler, beyond the stock roles
            rowNamed(
                    Component.SCHEDULER,
                    SYSTEM,
                    "coordination.k8s.io",
                    "leases",
                    List.of("get", "update"),
                    Names.SCHEDULER_NAME,
                    "leader election on its own lease (the stock role covers only kube-scheduler)"));

    public static final List<StockRole> STOCK_ROLES = List.of(
            new StockRole(
                    Component.SCHEDULER,
                    "ClusterRole",
                    CLUSTER,
                    "system:kube-scheduler",
                    "everything a kube-scheduler reads and writes, kept in step with the API server by the cluster"),
            new StockRole(
                    Component.SCHEDULER,
                    "ClusterRole",
                    CLUSTER,
                    "system:volume-scheduler",
                    "volume binding decisions (PVs, PVCs, StorageClasses)"),
            new StockRole(
                    Component.SCHEDULER,
                    "Role",
                    "kube-system",
                    "extension-apiserver-authentication-reader",
                    "delegated authentication of its secure port (/healthz for the probes)"));

    /** The table's rows of the given components, expanded into atomic grants. */
    public static Set<Grant> grants(Set<Component> components) {
        Set<Grant> grants = new LinkedHashSet<>();
        for (Row row : TABLE) {
            if (!components.contains(row.component())) {
                continue;
            }
            List<String> names = row.resourceNames().isEmpty() ? nullList() : row.resourceNames();
            for (String verb : row.verbs()) {
                for (String name : names) {
                    grants.add(new Grant(row.namespace(), row.apiGroup(), row.resource(), verb, name));
                }
            }
        }
        return grants;
    }

    public static List<StockRole> stockRoles(Set<Component> components) {
        return STOCK_ROLES.stream()
                .filter(r -> components.contains(r.component()))
                .toList();
    }

    private static Row row(Component c, String ns, String group, String resource, List<String> verbs, String why) {
        return new Row(c, ns, group, resource, verbs, List.of(), why);
    }

    private static Row rowNamed(
            Component c, String ns, String group, String resource, List<String> verbs, String name, String why) {
        return new Row(c, ns, group, resource, verbs, List.of(name), why);
    }

    private static List<String> nullList() {
        List<String> list = new ArrayList<>();
        list.add(null);
        return list;
    }
}
