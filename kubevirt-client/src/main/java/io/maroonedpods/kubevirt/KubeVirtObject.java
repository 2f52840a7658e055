package io.maroonedpods.kubevirt;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of every KubeVirt object we model. KubeVirt has many more fields than we use and adds new ones in every
 * release; whatever Jackson does not map to a field lands here and is written back unchanged, so a read–modify–write
 * never drops what another controller (or a newer KubeVirt) put there.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class KubeVirtObject {
    private final Map<String, Object> unknownFields = new LinkedHashMap<>();

    @JsonAnyGetter
    public Map<String, Object> unknownFields() {
        return unknownFields;
    }

    @JsonAnySetter
    public void setUnknownField(String name, Object value) {
        unknownFields.put(name, value);
    }
}
