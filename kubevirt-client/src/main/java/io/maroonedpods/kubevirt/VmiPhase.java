package io.maroonedpods.kubevirt;

/** The values of {@code status.phase} (KubeVirt's VirtualMachineInstancePhase). */
public final class VmiPhase {
    private VmiPhase() {}

    public static final String PENDING = "Pending";
    public static final String SCHEDULING = "Scheduling";
    public static final String SCHEDULED = "Scheduled";
    public static final String RUNNING = "Running";
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";
    public static final String UNKNOWN = "Unknown";

    /** True once the VM can never run again: KubeVirt does not restart a VMI. */
    public static boolean isFinal(String phase) {
        return SUCCEEDED.equals(phase) || FAILED.equals(phase);
    }
}
