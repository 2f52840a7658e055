package io.maroonedpods.api;

import java.util.regex.Pattern;

/**
 * Every well-known name of MaroonedPods, in one place. Other modules refer to these constants and never spell the
 * strings again, so the extender, the provisioner, the node image and the manifests cannot drift apart.
 */
public final class Names {
    private Names() {}

    public static final String GROUP = "maroonedpods.io";

    /** Pods opt in by naming this scheduler (secondary-scheduler mode): the default of {@link #SCHEDULER_NAME_SETTING}. */
    public static final String SCHEDULER_NAME = "maroon-scheduler";

    /**
     * The environment variable both the extender and the provisioner read the scheduler name from, so that changing
     * it changes it for both (the kube-scheduler profile's {@code schedulerName} must say the same).
     */
    public static final String SCHEDULER_NAME_SETTING = "MAROON_SCHEDULER_NAME";

    /** Pods opt in with this label set to "true" (main-scheduler mode). */
    public static final String OPT_IN_LABEL = GROUP + "/maroon";

    /** Prefix of every VMI, node and hostname: {@code maroon-<pod-uid>}. */
    public static final String NODE_PREFIX = "maroon-";

    /** Prefix of warm-pool VMIs and nodes: {@code maroon-pool-<suffix>}. */
    public static final String POOL_NODE_PREFIX = "maroon-pool-";

    public static final String USERDATA_SUFFIX = "-userdata";

    /** Key of the cloud-init user data in the userdata Secret (what KubeVirt's cloudInitNoCloud.secretRef reads). */
    public static final String USERDATA_KEY = "userdata";

    /** Default namespace of VMIs and their cloud-init Secrets; tenants have no access there. */
    public static final String DEFAULT_VMI_NAMESPACE = "maroonedpods-nodes";

    /** Label a warm-pool node sets on itself. */
    public static final String POOL_LABEL = GROUP + "/pool";

    /** Default taint key prefix; the taint is {@code <taintKey>/dedicated=<uid>:NoSchedule}. */
    public static final String DEFAULT_TAINT_KEY = GROUP;

    /** The taint (and toleration) key with the default taint key prefix. */
    public static final String DEDICATED_TAINT = DEFAULT_TAINT_KEY + "/dedicated";

    /**
     * Label the provisioner puts on a warm-pool VMI (and its node) once the node is verified and free to be claimed;
     * removed when a pod claims it or the pool shrinks. Claimers take only VMIs that carry it.
     */
    public static final String POOL_AVAILABLE_LABEL = GROUP + "/pool-available";

    /**
     * Label the provisioner puts on a warm-pool VMI whose node ever ran a pod that was not its own (a stranger): such a
     * VM is destroyed and never claimed.
     */
    public static final String HELD_STRANGER_LABEL = GROUP + "/held-stranger";

    /** Taint value of a warm-pool node before it is claimed. */
    public static final String POOL_TAINT_VALUE = "pool";

    /**
     * The only label the extender trusts. Kubelets cannot set {@code node-restriction.kubernetes.io/} labels (the
     * NodeRestriction admission plugin refuses them), so only the provisioner sets it, after verifying the node.
     */
    public static final String VERIFIED_POD_UID_LABEL = "node-restriction.kubernetes.io/maroonedpods-pod-uid";

    /** Scheduling gate of gated mode; the provisioner removes it once the node is verified. */
    public static final String SCHEDULING_GATE = GROUP + "/vm-ready";

    /**
     * The UID of the pod a VM is for: a label on its VMI (set by the provisioner, on a warm-pool VMI by its claim), and
     * the label a node sets on itself at registration (self-asserted there: never trusted alone).
     */
    public static final String POD_UID_LABEL = GROUP + "/pod-uid";

    public static final String POD_NAMESPACE_LABEL = GROUP + "/pod-namespace";
    /** The pod's name as a label value: cut to the 63 characters a label value may have. */
    public static final String POD_NAME_LABEL = GROUP + "/pod-name";
    /** The pod's full name, as an annotation of the same key on its VMI and Secret (a name may be longer than 63). */
    public static final String POD_NAME_ANNOTATION = GROUP + "/pod-name";

    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "maroonedpods";

    public static final String CONFIG_NAME = "default";

    /** Pod annotation: VMs booted for this pod since its last verified node (kept on the pod, survives restarts). */
    public static final String BOOT_ATTEMPTS_ANNOTATION = GROUP + "/boot-attempts";

    /** Pod annotation: RFC 3339 instant before which no new VM is booted for this pod (retry backoff). */
    public static final String NEXT_BOOT_AFTER_ANNOTATION = GROUP + "/next-boot-after";

    /** Pod annotation set when every boot attempt failed; its value says why. The pod is not retried again. */
    public static final String PROVISIONING_FAILED_ANNOTATION = GROUP + "/provisioning-failed";

    /** VMI annotation: RFC 3339 instant the provisioner created it; the boot timeout counts from here. */
    public static final String BOOT_STARTED_ANNOTATION = GROUP + "/boot-started-at";

    /**
     * User-Agents of the components' API requests: what an API server's audit log (or a request log) shows, so that the
     * extender's requests can be told from kube-scheduler's when both run as the maroon-scheduler pod's ServiceAccount.
     */
    public static final String PROVISIONER_USER_AGENT = "maroonedpods-provisioner";

    public static final String EXTENDER_USER_AGENT = "maroonedpods-extender";

    /** Name of the provisioner's leader-election Lease. */
    public static final String PROVISIONER_LEASE = "maroonedpods-provisioner";

    /**
     * Label on a VM's userdata Secret and annotation on its VMI: the id of the VM's own bootstrap token (public: it
     * names {@code kube-system/bootstrap-token-<id>}), so that teardown and verification can delete the token.
     */
    public static final String BOOTSTRAP_TOKEN_ID_LABEL = GROUP + "/bootstrap-token-id";

    /** k3s keeps a node password Secret per node in this namespace. */
    public static final String K3S_NODE_PASSWORD_NAMESPACE = "kube-system";

    /** File cloud-init writes inside the VM and the boot script reads. */
    public static final String JOIN_INFO_PATH = "/etc/marooned/join-info.yaml";

    private static final Pattern UID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** True when the text has the form of a Kubernetes UID (lower-case RFC 4122 UUID). */
    public static boolean isPodUid(String text) {
        return text != null && UID.matcher(text).matches();
    }

    /** {@code maroon-<pod-uid>}: the name of the VMI, of the node and of the guest's hostname (43 characters). */
    public static String nodeName(String podUid) {
        return NODE_PREFIX + podUid;
    }

    /** {@code maroon-<pod-uid>-userdata}: the cloud-init Secret beside the VMI. */
    public static String userdataSecretName(String vmiName) {
        return vmiName + USERDATA_SUFFIX;
    }

    /** The pod UID of a dedicated node (or VMI) name {@code maroon-<uid>}; null for any other name, pool nodes included. */
    public static String podUidOf(String nodeName) {
        if (nodeName == null || !nodeName.startsWith(NODE_PREFIX)) {
            return null;
        }
        String uid = nodeName.substring(NODE_PREFIX.length());
        return isPodUid(uid) ? uid : null;
    }

    /** The k3s node password Secret name for a node. */
    public static String k3sNodePasswordSecret(String nodeName) {
        return nodeName + ".node-password.k3s";
    }

    /** The dedicated taint key for a configured taint key prefix. */
    public static String dedicatedTaintKey(String taintKeyPrefix) {
        return taintKeyPrefix + "/dedicated";
    }

    /** True when the name is one of ours (a dedicated or pool node). */
    public static boolean isMaroonNodeName(String name) {
        return name != null && name.startsWith(NODE_PREFIX);
    }
}
