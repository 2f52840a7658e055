package io.maroonedpods.provisioner.events;

/** Event reasons the provisioner records on pods; the enum constant name is the reason, as Kubernetes spells it. */
public enum Reason {
    VmiCreated(Type.Normal, "CreateVMI"),
    NodeVerified(Type.Normal, "VerifyNode"),
    PoolNodeClaimed(Type.Normal, "ClaimPoolNode"),
    NodeRejected(Type.Warning, "VerifyNode"),
    BootQueued(Type.Normal, "CreateVMI"),
    BootFailed(Type.Warning, "BootVM"),
    ProvisioningFailed(Type.Warning, "BootVM"),
    ConfigInvalid(Type.Warning, "ReadConfig"),
    JoinSecretMissing(Type.Warning, "ReadConfig"),
    NodeNetworkUnsupported(Type.Warning, "ReadConfig"),
    JoinTokenRefused(Type.Warning, "ReadConfig"),
    ClusterCaUnknown(Type.Warning, "ReadConfig"),
    VmLost(Type.Warning, "FailPod"),
    TornDown(Type.Normal, "TearDown"),
    IsolationViolation(Type.Warning, "Evict");

    public enum Type {
        Normal,
        Warning
    }

    private final Type type;
    private final String action;

    Reason(Type type, String action) {
        this.type = type;
        this.action = action;
    }

    public Type type() {
        return type;
    }

    /** The events.k8s.io/v1 {@code action}: what the provisioner was doing. */
    public String action() {
        return action;
    }
}
