package io.maroonedpods.simulator.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The simulated API server's front: what the CRUD mock lacks, handled before it. The pods/binding subresource,
 * every field selector (lists and watches), {@code /version}, fault injection for the components' requests, and
 * one lock around writes so that a binding's read-check-write is atomic like etcd's compare-and-swap.
 */
public final class FrontDispatcher extends Dispatcher {

    /** Header the components' clients carry; only their requests get injected faults. */
    public static final String CALLER_HEADER = "X-Maroonedpods-Simulator-Caller";
    public static final String COMPONENT_CALLER = "component";

    private static final Logger LOG = Logger.getLogger(FrontDispatcher.class.getName());

    private final KubernetesCrudDispatcher store;
    private final FaultInjector faults;
    private final Clock clock;
    private final ObjectMapper json = Serialization.jsonMapper();
    private final List<ApiObserver> observers = new CopyOnWriteArrayList<>();
    private final Object writes = new Object();
    private final AtomicLong componentRequests = new AtomicLong();
    private final Set<DroppableWatch> componentWatches = ConcurrentHashMap.newKeySet();

    public FrontDispatcher(KubernetesCrudDispatcher store, FaultInjector faults, Clock clock) {
        this.store = store;
        this.faults = faults;
        this.clock = clock;
    }

    /** Requests the components made, watches not counted (each watch is one long request). */
    public long componentRequests() {
        return componentRequests.get();
    }

    /** Ends every open watch of the components with 410 Expired; returns how many there were. */
    public int dropComponentWatches() {
        List<DroppableWatch> open = List.copyOf(componentWatches);
        open.forEach(DroppableWatch::drop);
        return open.size();
    }

    public void observe(ApiObserver observer) {
        observers.add(observer);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        ApiPath path = ApiPath.parse(request.getPath());
        String method = request.getMethod();
        try {
            if ("GET".equals(method) && path.path().equals("/version")) {
                return json(200, "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0-maroonedpods-simulator\","
                        + "\"platform\":\"linux/amd64\"}");
            }
            if ("GET".equals(method)) {
                var discovery = Discovery.at(path.path());
                if (discovery.isPresent()) {
                    return json(200, discovery.get());
                }
            }
            if (COMPONENT_CALLER.equals(request.getHeader(CALLER_HEADER)) && !path.isWatch()) {
                componentRequests.incrementAndGet();
                var fault = faults.draw(method);
                if (fault.isPresent()) {
                    var f = fault.get();
                    MockResponse response = status(f.code, f.reason, f.message);
                    return f == FaultInjector.Fault.TOO_MANY_REQUESTS ? response.setHeader("Retry-After", "1") : response;
                }
            }
            String[] binding = path.bindingTarget();
            if (binding != null && "POST".equals(method)) {
                return bind(path, binding[0], binding[1], request.getBody().readUtf8());
            }
            if ("GET".equals(method)) {
                MockResponse response = read(path, request);
                boolean component = COMPONENT_CALLER.equals(request.getHeader(CALLER_HEADER));
                return component && response.getWebSocketListener() != null
                        ? response.withWebSocketUpgrade(new DroppableWatch(response.getWebSocketListener(), componentWatches))
                        : response;
            }
            return write(method, path, request);
        } catch (IllegalArgumentException e) {
            return status(400, "BadRequest", e.getMessage());
        } catch (RuntimeException e) {
            // Thrown out of a dispatcher, it would make the server drop the connection: answer like an API server.
            LOG.log(Level.WARNING, "simulated API server failed on " + method + " " + path.path(), e);
            return status(500, "InternalError", "simulated API server error: " + e);
        }
    }

    private MockResponse read(ApiPath path, RecordedRequest request) {
        FieldSelector selector = FieldSelector.parse(path.param("fieldSelector"));
        if (selector.isEmpty()) {
            return store.dispatch(request);
        }
        MockResponse response = store.dispatch(copy(request, path.rawWithout("fieldSelector")));
        if (response.getWebSocketListener() != null) {
            return response.withWebSocketUpgrade(new SelectedWatch(response.getWebSocketListener(), selector, json));
        }
        JsonNode body = tree(response.getBody().getBytes());
        if (body != null && body.path("items").isArray()) {
            ArrayNode kept = json.createArrayNode();
            body.path("items").forEach(item -> {
                if (selector.matches(item)) {
                    kept.add(item);
                }
            });
            ((ObjectNode) body).set("items", kept);
            response.setBody(body.toString());
        } else if (body != null && body.path("metadata").has("name") && !selector.matches(body)) {
            return status(404, "NotFound", path.lastSegment() + " not found");
        }
        return response;
    }

    private MockResponse write(String method, ApiPath path, RecordedRequest request) {
        MockResponse response;
        synchronized (writes) {
            response = store.dispatch(request);
        }
        if (response != null && response.code() / 100 == 2) {
            String body = new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
            observers.forEach(o -> o.written(method, path, body));
        }
        return response;
    }

    private MockResponse bind(ApiPath path, String namespace, String name, String body) {
        JsonNode bindingObject = tree(body.getBytes(StandardCharsets.UTF_8));
        if (bindingObject == null) {
            return status(400, "BadRequest", "the request body is not a Binding");
        }
        String podName = name != null ? name : bindingObject.path("metadata").path("name").asText();
        if (podName.isEmpty()) {
            return status(422, "Invalid", "metadata.name: Required value: the Binding names the pod");
        }
        String podPath = "/api/v1/namespaces/" + namespace + "/pods/" + podName;
        BindingRules.Bind bound;
        synchronized (writes) {
            MockResponse current = store.handleGet(podPath);
            JsonNode pod = current.code() == 200 ? tree(current.getBody().getBytes()) : null;
            BindingRules.Outcome outcome = BindingRules.decide(podName, pod, bindingObject, clock.instant());
            if (outcome instanceof BindingRules.Refuse refuse) {
                return status(refuse.code(), refuse.reason(), refuse.message());
            }
            bound = (BindingRules.Bind) outcome;
            Headers headers = Headers.builder().add("Content-Type", "application/json").build();
            MockResponse stored = store.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.PUT, podPath, headers,
                    new Buffer(bound.updatedPod().toString().getBytes(StandardCharsets.UTF_8))));
            if (stored.code() / 100 != 2) {
                return stored;
            }
            String updated = new String(stored.getBody().getBytes(), StandardCharsets.UTF_8);
            observers.forEach(o -> o.written("POST", path, updated));
        }
        return json(201, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Success\",\"code\":201}");
    }

    private static RecordedRequest copy(RecordedRequest request, String rawPath) {
        return new RecordedRequest(request.getHttpVersion(), request.method(), rawPath, request.getHeaders(), request.getBody());
    }

    private JsonNode tree(byte[] bytes) {
        try {
            return bytes.length == 0 ? null : json.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    private MockResponse status(int code, String reason, String message) {
        ObjectNode status = json.createObjectNode()
                .put("kind", "Status").put("apiVersion", "v1")
                .put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
        status.putObject("metadata");
        return json(code, status.toString());
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }
}
