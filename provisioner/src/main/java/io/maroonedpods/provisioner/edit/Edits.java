package io.maroonedpods.provisioner.edit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Changes to objects other controllers also write (user pods, nodes), made as small as they can be: read the latest,
 * apply the change to a copy, and send only the difference as a JSON patch carrying the resourceVersion read, so the
 * API server refuses it (409) if the object moved on in between; then the change is made again on the new version
 * ({@link OnConflict}). A change that changes nothing writes nothing: a
 * needless write would wake every watcher of the object, us included.
 */
public final class Edits {
    private final KubernetesClient client;
    private final KubernetesSerialization serialization;

    public Edits(KubernetesClient client) {
        this.client = client;
        this.serialization = client.getKubernetesSerialization();
    }

    /** The latest object after the change, or empty when it does not exist; unchanged when the change was a no-op. */
    public <T extends HasMetadata> Optional<T> edit(Resource<T> resource, Class<T> type, UnaryOperator<T> change) {
        return edit(resource, type, null, change);
    }

    /**
     * The same, starting from a copy already at hand (the informer's, or one just read) instead of a read: if it is
     * out of date the API server answers 409 and the change is made again on the object read then. It may also answer
     * 422: the patch's operations apply before its resourceVersion is compared, so removing a member the newer object
     * no longer has fails first; that too is a copy out of date.
     */
    public <T extends HasMetadata> Optional<T> edit(Resource<T> resource, Class<T> type, T known,
            UnaryOperator<T> change) {
        return edit(resource, type, known, change, false);
    }

    /**
     * The same through the status subresource (the change may touch only the status): what a controller that fails
     * a pod writes, as the kubelet or the pod garbage collector would.
     */
    public <T extends HasMetadata> Optional<T> editStatus(Resource<T> resource, Class<T> type, T known,
            UnaryOperator<T> change) {
        return edit(resource, type, known, change, true);
    }

    private <T extends HasMetadata> Optional<T> edit(Resource<T> resource, Class<T> type, T known,
            UnaryOperator<T> change, boolean status) {
        AtomicReference<T> start = new AtomicReference<>(known);
        return OnConflict.retryTested(() -> {
            T latest = start.getAndSet(null);
            return editOnce(latest != null ? latest : resource.get(), type, change, status);
        });
    }

    private <T extends HasMetadata> Optional<T> editOnce(T latest, Class<T> type, UnaryOperator<T> change,
            boolean status) {
        if (latest == null) {
            return Optional.empty();
        }
        JsonNode before = serialization.convertValue(latest, JsonNode.class);
        T changed = change.apply(serialization.convertValue(before, type));
        ArrayNode patch = JsonPatch.between(before, serialization.convertValue(changed, JsonNode.class));
        if (patch.isEmpty()) {
            return Optional.of(latest);
        }
        // The version read, as the object's version after the patch: the API server's optimistic lock.
        patch.add(JsonPatch.add("/metadata/resourceVersion", TextNode.valueOf(latest.getMetadata().getResourceVersion())));
        // Through the object read (not the named resource), so the client does not read it once more before patching.
        var target = client.resource(latest);
        PatchContext json = PatchContext.of(PatchType.JSON);
        return Optional.of(status ? target.subresource("status").patch(json, patch.toString())
                : target.patch(json, patch.toString()));
    }
}
