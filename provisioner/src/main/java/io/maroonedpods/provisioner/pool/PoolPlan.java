package io.maroonedpods.provisioner.pool;

import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.provisioner.vm.VmSize;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The pool's decisions, pure: how many VMs to boot, which spares to retire when the pool shrinks, which VMIs a pod
 * may try to claim. Claimed VMs are never retired: they belong to their pod until it is gone.
 *
 * @param create how many new pool VMs to boot now
 * @param retire names of unclaimed pool VMs to delete (surplus), least useful first
 */
public record PoolPlan(int create, List<String> retire) {

    /**
     * @param size               spec.warmPoolSize
     * @param members            every pool VM, FAILED ones included (they are being deleted and do not count)
     * @param bootingEverywhere  VMs (pool or not) that exist without a verified node, as the boot cap counts them
     * @param maxConcurrentBoots spec.maxConcurrentBoots
     */
    public static PoolPlan of(int size, List<PoolMember> members, int bootingEverywhere, int maxConcurrentBoots) {
        List<PoolMember> spares = members.stream().filter(PoolMember::unclaimed).toList();
        if (spares.size() > size) {
            // Booting spares go first (nobody can use them yet), newest first; then available ones, newest first.
            List<String> retire = spares.stream()
                    .sorted(Comparator.comparing((PoolMember m) -> m.state() == PoolMember.State.AVAILABLE)
                            .thenComparing(PoolMember::bootStartedAt, Comparator.reverseOrder()))
                    .limit(spares.size() - size)
                    .map(PoolMember::name)
                    .toList();
            return new PoolPlan(0, retire);
        }
        int freeSlots = Math.max(0, maxConcurrentBoots - bootingEverywhere);
        return new PoolPlan(Math.min(size - spares.size(), freeSlots), List.of());
    }

    /**
     * The VMIs a pod may try to claim, in the order to try them: available, unclaimed, big enough for the pod. The
     * starting point is spread by the pod's UID so that pods reconciled at once do not all race for the same VMI;
     * a lost race (409) just moves on to the next.
     */
    public static List<String> claimOrder(List<VirtualMachineInstance> vmis, VmSize need, String podUid) {
        List<String> fitting = vmis.stream()
                .filter(PoolVm::isPool)
                .filter(PoolVm::available)
                .filter(vmi -> fits(need, PoolVm.sizeOf(vmi)))
                .map(vmi -> vmi.getMetadata().getName())
                .sorted()
                .toList();
        if (fitting.isEmpty()) {
            return fitting;
        }
        int start = Math.floorMod(podUid.hashCode(), fitting.size());
        List<String> order = new ArrayList<>(fitting.subList(start, fitting.size()));
        order.addAll(fitting.subList(0, start));
        return order;
    }

    static boolean fits(VmSize need, VmSize vm) {
        return need.cpuCores() <= vm.cpuCores() && need.memoryMi() <= vm.memoryMi();
    }
}
