package io.maroonedpods.provisioner.vm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.maroonedpods.api.config.EffectiveConfig;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * How big the VM for a pod must be. Pure: the pod spec and the configuration in, a {@link VmSize} out.
 *
 * <p>Per resource the pod needs what the scheduler would reserve for it — max(sum of app containers + sidecars,
 * the largest init container plus the sidecars started before it) + pod overhead — except that a container's limit
 * counts where it is higher than its request (the VM is the pod's hard ceiling: a limit the VM cannot honour would be
 * a lie). Then {@code resourceOverhead} is added for the node's own k3s agent and kernel, the result is floored at
 * {@code baseVMResources}, CPU is rounded up to whole cores and memory up to whole MiB.
 */
public final class Sizing {
    private static final BigDecimal MI = BigDecimal.valueOf(1024L * 1024L);

    private Sizing() {}

    public static VmSize of(PodSpec spec, EffectiveConfig config) {
        BigDecimal cpu = podNeed(spec, "cpu").add(config.overheadCpuCores());
        BigDecimal memory = podNeed(spec, "memory").add(BigDecimal.valueOf(config.overheadMemoryBytes()));
        int cores =
                Math.max(config.baseCpu(), cpu.setScale(0, RoundingMode.CEILING).intValueExact());
        long memoryMi = Math.max(
                config.baseMemoryMi(),
                memory.divide(MI, 0, RoundingMode.CEILING).longValueExact());
        return new VmSize(cores, memoryMi);
    }

    /** The pod's effective need of one resource, in cores or bytes. */
    static BigDecimal podNeed(PodSpec spec, String resource) {
        BigDecimal sidecarsSoFar = BigDecimal.ZERO;
        BigDecimal largestInit = BigDecimal.ZERO;
        for (Container init : orEmpty(spec.getInitContainers())) {
            BigDecimal need = containerNeed(init, resource);
            if ("Always".equals(init.getRestartPolicy())) {
                sidecarsSoFar = sidecarsSoFar.add(need);
            } else {
                largestInit = largestInit.max(need.add(sidecarsSoFar));
            }
        }
        BigDecimal running = sidecarsSoFar;
        for (Container container : orEmpty(spec.getContainers())) {
            running = running.add(containerNeed(container, resource));
        }
        return running.max(largestInit).add(amount(spec.getOverhead(), resource));
    }

    private static BigDecimal containerNeed(Container container, String resource) {
        if (container.getResources() == null) {
            return BigDecimal.ZERO;
        }
        return amount(container.getResources().getRequests(), resource)
                .max(amount(container.getResources().getLimits(), resource));
    }

    private static BigDecimal amount(Map<String, Quantity> quantities, String resource) {
        Quantity quantity = quantities == null ? null : quantities.get(resource);
        return quantity == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(quantity);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
