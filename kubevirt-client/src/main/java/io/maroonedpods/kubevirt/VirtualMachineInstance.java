package io.maroonedpods.kubevirt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * KubeVirt {@code kubevirt.io/v1} VirtualMachineInstance: the fields MaroonedPods reads and writes, typed; every other
 * field of spec and status kept as it came (see {@link KubeVirtObject}), metadata's by fabric8's ObjectMeta. A
 * Kubernetes object has no top-level fields besides apiVersion, kind, metadata, spec and status.
 */
@Group("kubevirt.io")
@Version("v1")
@Kind("VirtualMachineInstance")
@Plural("virtualmachineinstances")
@Singular("virtualmachineinstance")
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public class VirtualMachineInstance extends CustomResource<VmiSpec, VmiStatus> implements Namespaced {
    /** The phase, or {@code ""} while KubeVirt has not reported one. */
    public String phase() {
        return getStatus() == null || getStatus().phase == null ? "" : getStatus().phase;
    }
}
