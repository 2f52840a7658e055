package io.maroonedpods.kubevirt;

import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;

/** A list of {@link VirtualMachineInstance}, as fabric8 needs it for list and watch. */
public class VirtualMachineInstanceList extends DefaultKubernetesResourceList<VirtualMachineInstance> {}
