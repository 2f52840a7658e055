package io.maroonedpods.kubevirt;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * KubeVirt {@code kubevirt.io/v1} VirtualMachineInstance: the fields MaroonedPods reads and writes, typed; every other
 * field kept as it came (see {@link KubeVirtObject}).
 */
@Group("kubevirt.io")
@Version("v1")
@Kind("VirtualMachineInstance")
@Plural("virtualmachineinstances")
@Singular("virtualmachineinstance")
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public class VirtualMachineInstance extends CustomResource<VmiSpec, VmiStatus> implements Namespaced {
    private final Map<String, Object> unknownFields = new LinkedHashMap<>();

    @JsonAnyGetter
    public Map<String, Object> unknownFields() {
        return unknownFields;
    }

    @JsonAnySetter
    public void setUnknownField(String name, Object value) {
        unknownFields.put(name, value);
    }

    /** The phase, or {@code ""} while KubeVirt has not reported one. */
    public String phase() {
        return getStatus() == null || getStatus().phase == null ? "" : getStatus().phase;
    }
}
