package io.maroonedpods.extender.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.util.stream.Collectors;

/** Decodes an embedded Pod (no apiVersion/kind) and turns data-binding errors into messages naming the field. */
public final class PodJson {
    private PodJson() {}

    /** The parser is at the Pod's START_OBJECT. */
    static Pod read(JsonParser parser) throws IOException {
        try {
            return withoutNullOwners(WireJson.MAPPER.readValue(parser, Pod.class));
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof JsonProcessingException syntax) {
                throw syntax; // malformed JSON inside the Pod: the error table words it as such
            }
            throw new BadRequestException("Pod" + pathOf(e) + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse("cannot be decoded"));
        }
    }

    /** Data binding lets a null through as a list item; the decisions read the owners, so it is refused here. */
    private static Pod withoutNullOwners(Pod pod) {
        var owners = pod.getMetadata() == null ? null : pod.getMetadata().getOwnerReferences();
        if (owners != null && owners.contains(null)) {
            throw new BadRequestException(
                    "Pod.metadata.ownerReferences[" + owners.indexOf(null) + "]: expected an object, got null");
        }
        return pod;
    }

    /** {@code .spec.containers[0].name} from a Jackson path. */
    public static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
    }
}
