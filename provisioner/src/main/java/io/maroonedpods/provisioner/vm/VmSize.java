package io.maroonedpods.provisioner.vm;

/** The size of a node VM: whole vCPUs and memory in MiB. */
public record VmSize(int cpuCores, long memoryMi) {

    public String memoryQuantity() {
        return memoryMi + "Mi";
    }
}
