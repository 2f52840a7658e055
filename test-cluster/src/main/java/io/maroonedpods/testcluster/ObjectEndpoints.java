package io.maroonedpods.testcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maroonedpods.testcluster.ApiAnswer.Reply;
import io.maroonedpods.testcluster.store.ApiException;
import io.maroonedpods.testcluster.store.FieldSelector;
import io.maroonedpods.testcluster.store.LabelSelector;
import io.maroonedpods.testcluster.store.NamespaceLifecycle;
import io.maroonedpods.testcluster.store.ObjectStore;
import io.maroonedpods.testcluster.store.ResourcePath;
import io.maroonedpods.testcluster.store.ServedResources.Resource;
import io.maroonedpods.testcluster.store.Stored;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The REST verbs on objects (get, list, watch, create, update, patch, delete), from a request to the store and back. */
final class ObjectEndpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore store;

    ObjectEndpoints(ObjectStore store) {
        this.store = store;
    }

    /** GET of one object: like kube-apiserver's GetOptions it has no selectors (a fieldSelector is ignored). */
    Reply get(ResourcePath at) {
        return ApiAnswer.json(200, store.get(at).json());
    }

    Reply list(ResourcePath at, Resource resource, ApiPath path) {
        int limit = path.param("limit") == null ? 0 : Integer.parseInt(path.param("limit"));
        Continue from = Continue.decode(path.param("continue"));
        ObjectStore.Page page = store.list(
                at,
                LabelSelector.parse(path.param("labelSelector")),
                fieldSelector(resource, path),
                Math.max(limit, 0),
                from == null ? null : from.key());
        long version = from == null ? page.resourceVersion() : from.resourceVersion();
        String next = page.continueKey() == null ? null : new Continue(version, page.continueKey()).encode();
        return ApiAnswer.json(200, listBody(resource, page.items(), version, next));
    }

    ApiAnswer.Watch watch(ResourcePath at, Resource resource, ApiPath path, boolean component) {
        FieldSelector fields = fieldSelector(resource, path);
        if (at.name() != null) {
            fields = fields.and("metadata.name", at.name());
        }
        String version = path.param("resourceVersion");
        Long from = version == null || version.isEmpty() || version.equals("0") ? null : parseVersion(version);
        long timeout = path.param("timeoutSeconds") == null ? 0 : Long.parseLong(path.param("timeoutSeconds"));
        return new ApiAnswer.Watch(
                at.withName(null), LabelSelector.parse(path.param("labelSelector")), fields, from, timeout, component);
    }

    Stored create(ResourcePath at, byte[] body) {
        if (at.name() != null) {
            throw new ApiException(
                    405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        }
        ObjectNode object = object(body);
        NamespaceLifecycle.admitCreate(at, object.path("metadata").path("name").asText(""), namespaceOf(at));
        return store.create(at, object);
    }

    /** The stored namespace an object at {@code at} would live in; null when there is none (or no namespace). */
    private JsonNode namespaceOf(ResourcePath at) {
        if (at.namespace() == null) {
            return null;
        }
        try {
            return store.get(NamespaceLifecycle.namespaceOf(at)).object();
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
            return null;
        }
    }

    Stored update(ResourcePath at, byte[] body) {
        return store.update(at, object(body));
    }

    Stored patch(ResourcePath at, String contentType, byte[] body) {
        return store.patch(at, contentType, tree(body));
    }

    /** DELETE of one object, or of every selected object of a collection (deletecollection). */
    List<Stored> delete(ResourcePath at, Resource resource, ApiPath path, byte[] body) {
        JsonNode options = body == null || body.length == 0 ? null : tree(body);
        if (at.name() != null) {
            return List.of(deleteOne(at, options));
        }
        List<Stored> deleted = new ArrayList<>();
        for (Stored item : store.list(
                        at, LabelSelector.parse(path.param("labelSelector")), fieldSelector(resource, path), 0, null)
                .items()) {
            try {
                deleted.add(deleteOne(at.withName(item.name()).inNamespace(item.namespace()), options));
            } catch (ApiException e) {
                if (e.code() != 404) {
                    throw e;
                }
            }
        }
        return deleted;
    }

    private Stored deleteOne(ResourcePath at, JsonNode options) {
        NamespaceLifecycle.admitDelete(at);
        return store.delete(at, options);
    }

    /** The request's field selector, refused (400) when it names a field the resource does not support. */
    private static FieldSelector fieldSelector(Resource resource, ApiPath path) {
        return FieldSelector.parse(path.param("fieldSelector"), resource.fields());
    }

    static byte[] listBody(Resource resource, List<Stored> items, long resourceVersion, String continueToken) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + items.size() * 2048);
        String kind = resource.kind();
        ObjectNode metadata = JSON.createObjectNode().put("resourceVersion", Long.toString(resourceVersion));
        if (continueToken != null) {
            metadata.put("continue", continueToken);
        }
        ObjectNode head = JSON.createObjectNode().put("kind", kind + "List").put("apiVersion", resource.groupVersion());
        head.set("metadata", metadata);
        String headText = head.toString();
        out.writeBytes(headText.substring(0, headText.length() - 1).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(",\"items\":[".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(items.get(i).json());
        }
        out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** A list's continue token: the resourceVersion of its first page and the key the next page starts after. */
    record Continue(long resourceVersion, String key) {
        String encode() {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((resourceVersion + ":" + key).getBytes(StandardCharsets.UTF_8));
        }

        static Continue decode(String token) {
            if (token == null || token.isEmpty()) {
                return null;
            }
            try {
                String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                int colon = text.indexOf(':');
                return new Continue(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
            } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
                throw ApiException.badRequest("invalid continue token");
            }
        }
    }

    private static Long parseVersion(String version) {
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid resource version: " + version);
        }
    }

    static JsonNode tree(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : JSON.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("the request has no body");
            }
            return node;
        } catch (IOException e) {
            throw ApiException.badRequest("the request body is not JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    static ObjectNode object(byte[] body) {
        if (!(tree(body) instanceof ObjectNode object)) {
            throw ApiException.badRequest("the request body is not a JSON object");
        }
        return object;
    }
}
