package io.maroonedpods.testcluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.maroonedpods.testcluster.ApiAnswer.Reply;
import io.maroonedpods.testcluster.store.ApiException;
import io.maroonedpods.testcluster.store.ObjectStore;
import io.maroonedpods.testcluster.store.ResourcePath;
import io.maroonedpods.testcluster.store.ServedResources;
import io.maroonedpods.testcluster.store.ServedResources.Resource;
import io.maroonedpods.testcluster.store.StoreObserver;
import io.maroonedpods.testcluster.store.StoreWatch;
import io.maroonedpods.testcluster.store.Stored;
import io.maroonedpods.testcluster.store.WatchSink;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The simulated API server's routing: {@code /version} and discovery, fault injection for the components' requests,
 * the pods/binding and pods/eviction subresources, and the REST verbs on the {@link ObjectStore}. Independent of HTTP:
 * a request in, an answer out.
 */
public final class ApiHandler {

    /** Header the components' clients carry; only their requests get injected faults. */
    public static final String CALLER_HEADER = "X-Maroonedpods-Simulator-Caller";

    public static final String COMPONENT_CALLER = "component";
    static final String DROP_MESSAGE = "too old resource version (simulated watch drop)";

    private static final Logger LOG = Logger.getLogger(ApiHandler.class.getName());
    private static final String VERSION =
            "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0-maroonedpods-simulator\","
                    + "\"platform\":\"linux/amd64\"}";

    private final ObjectStore store;
    private final ObjectEndpoints objects;
    private final FaultInjector faults;
    private final Clock clock;
    private final AtomicLong componentRequests = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();
    private final Set<StoreWatch> componentWatches = ConcurrentHashMap.newKeySet();
    private final List<String> componentRefusals = new CopyOnWriteArrayList<>();
    private final List<Consumer<ApiRequest>> requestObservers = new CopyOnWriteArrayList<>();
    private final Map<String, String> nextGetAnswers = new ConcurrentHashMap<>();
    private final StagedFaults stagedFaults = new StagedFaults();

    public ApiHandler(ObjectStore store, FaultInjector faults, Clock clock) {
        this.store = store;
        this.objects = new ObjectEndpoints(store);
        this.faults = faults;
        this.clock = clock;
    }

    /** Requests the components made, watches not counted (each watch is one long request). */
    public long componentRequests() {
        return componentRequests.get();
    }

    /** Pods removed through the pods/eviction subresource. */
    public long evictions() {
        return evictions.get();
    }

    /**
     * The components' requests that kube-apiserver would refuse as malformed whatever the cluster holds: 400 (an
     * unsupported field selector, say), 404 for a resource that is not served, 405, 415. Each is a bug in the
     * component (or in this server); a run expects none.
     */
    public List<String> componentRefusals() {
        return List.copyOf(componentRefusals);
    }

    /** Starts the count again (the simulator's warm-up). */
    public void forgetComponentRequests() {
        componentRequests.set(0);
    }

    /** Ends every open watch of the components with 410 Expired; returns how many there were. */
    public int dropComponentWatches() {
        componentWatches.removeIf(StoreWatch::isEnded);
        List<StoreWatch> open = List.copyOf(componentWatches);
        open.forEach(watch -> {
            componentWatches.remove(watch);
            watch.drop(DROP_MESSAGE);
        });
        return open.size();
    }

    /** Tells {@code observer} of every change the store makes, before any watcher or client hears of it. */
    public void observe(StoreObserver observer) {
        store.observe(observer);
    }

    /** Sees every request as it arrives, before it is answered: what a test checks a component asked for. */
    public void observeRequests(Consumer<ApiRequest> observer) {
        requestObservers.add(observer);
    }

    /**
     * The next GET of exactly this path (no query) answers {@code json} instead of the stored object: what a read that
     * raced with another writer returns (the pod was bound, or deleted and recreated, between a read and a write).
     */
    public void answerNextGet(String path, String json) {
        nextGetAnswers.put(path, json);
    }

    /** The next {@code times} requests with this method and exact path (no query) answer this error. */
    public void failNext(String method, String path, int times, int code, String message) {
        stagedFaults.stage(method, path, times, code, message);
    }

    public ApiAnswer handle(ApiRequest request) {
        requestObservers.forEach(observer -> observer.accept(request));
        ApiPath path = ApiPath.parse(request.rawPath());
        String method = request.method();
        try {
            String staged =
                    "GET".equals(method) && !nextGetAnswers.isEmpty() ? nextGetAnswers.remove(path.path()) : null;
            if (staged != null) {
                return ApiAnswer.json(200, staged);
            }
            var stagedFault = stagedFaults.take(method, path.path());
            if (stagedFault.isPresent()) {
                var f = stagedFault.get();
                return ApiAnswer.status(f.code(), f.reason(), f.message());
            }
            if ("GET".equals(method) && path.path().equals("/version")) {
                return ApiAnswer.json(200, VERSION);
            }
            if ("GET".equals(method)) {
                var discovery = Discovery.at(path.path(), store.served().all());
                if (discovery.isPresent()) {
                    return ApiAnswer.json(200, discovery.get());
                }
            }
            boolean component = COMPONENT_CALLER.equals(request.header(CALLER_HEADER));
            if (component && !path.isWatch()) {
                componentRequests.incrementAndGet();
                var fault = faults.draw(method);
                if (fault.isPresent()) {
                    var f = fault.get();
                    Reply reply = ApiAnswer.status(f.code, f.reason, f.message);
                    return f == FaultInjector.Fault.TOO_MANY_REQUESTS
                            ? new Reply(reply.code(), reply.body(), java.util.Map.of("Retry-After", "1"))
                            : reply;
                }
            }
            ResourcePath at = ResourcePath.parse(path.path());
            if (at == null) {
                throw new ApiException(404, "NotFound", ServedResources.NOT_FOUND);
            }
            Resource resource = store.served().resolve(at, method, path.isWatch());
            return route(method, path, at, resource, request, component);
        } catch (ApiException e) {
            return refused(request, e);
        } catch (IllegalArgumentException e) {
            return refused(request, ApiException.badRequest(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "simulated API server failed on " + method + " " + path.path(), e);
            return ApiAnswer.status(500, "InternalError", "simulated API server error: " + e);
        }
    }

    /** A request for a served resource, with a verb it serves ({@link ServedResources#resolve} checked both). */
    private Reply refused(ApiRequest request, ApiException e) {
        if (COMPONENT_CALLER.equals(request.header(CALLER_HEADER)) && refusesTheRequestItself(e)) {
            String refusal = request.method() + " " + request.rawPath() + ": " + e.code() + " " + e.getMessage();
            componentRefusals.add(refusal);
            LOG.warning("refused a component's request: " + refusal);
        }
        return ApiAnswer.status(e);
    }

    private static boolean refusesTheRequestItself(ApiException e) {
        return e.code() == 400
                || e.code() == 405
                || e.code() == 415
                || e.code() == 404 && ServedResources.NOT_FOUND.equals(e.getMessage());
    }

    private ApiAnswer route(
            String method, ApiPath path, ResourcePath at, Resource resource, ApiRequest request, boolean component) {
        String[] binding = path.bindingTarget();
        if (binding != null) {
            return bind(binding[0], binding[1], request.body());
        }
        if ("eviction".equals(at.subresource())) {
            return evict(at, request.body());
        }
        return switch (method) {
            case "GET" ->
                path.isWatch()
                        ? objects.watch(at, resource, path, component)
                        : at.name() == null ? objects.list(at, resource, path) : objects.get(at);
            case "POST" -> stored(201, objects.create(at, request.body()));
            case "PUT" -> stored(200, objects.update(at, request.body()));
            case "PATCH" -> stored(200, objects.patch(at, request.header("Content-Type"), request.body()));
            case "DELETE" -> deleted(at, resource, objects.delete(at, resource, path, request.body()));
            default ->
                ApiAnswer.status(
                        405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        };
    }

    /** Opens a watch the HTTP layer has a connection for; returns it so that the HTTP layer can end it. */
    public StoreWatch open(ApiAnswer.Watch request, WatchSink sink) {
        StoreWatch watch = new StoreWatch(request.at().namespace(), null, request.labels(), request.fields(), sink);
        if (request.component()) {
            componentWatches.add(watch);
        }
        store.watch(request.at(), watch, request.resourceVersion());
        return watch;
    }

    private static Reply stored(int code, Stored stored) {
        return ApiAnswer.json(code, stored.json());
    }

    private Reply deleted(ResourcePath at, Resource resource, List<Stored> deleted) {
        if (at.name() != null) {
            return ApiAnswer.json(200, deleted.getFirst().json());
        }
        return ApiAnswer.json(200, ObjectEndpoints.listBody(resource, deleted, store.revision(), null));
    }

    /** {@code POST pods/{name}/binding} or {@code bindings}: BindingRules' decision as one compare-and-swap on the pod. */
    private Reply bind(String namespace, String name, byte[] body) {
        JsonNode binding = ObjectEndpoints.object(body);
        String podName =
                name != null ? name : binding.path("metadata").path("name").asText();
        if (podName.isEmpty()) {
            return ApiAnswer.status(422, "Invalid", "metadata.name: Required value: the Binding names the pod");
        }
        ResourcePath pod = new ResourcePath("", "v1", "pods", namespace, podName, null);
        store.compareAndSwap(pod, stored -> switch (BindingRules.decide(podName, stored, binding, clock.instant())) {
            case BindingRules.Refuse refuse -> throw new ApiException(refuse.code(), refuse.reason(), refuse.message());
            case BindingRules.Bind bind -> bind.updatedPod();
        });
        return ApiAnswer.success(201);
    }

    /**
     * {@code POST pods/{name}/eviction}: the pod's deletion with the Eviction's DeleteOptions (its preconditions
     * hold or it is a 409). No PodDisruptionBudgets exist in the simulated cluster, so nothing refuses it with 429.
     */
    private Reply evict(ResourcePath at, byte[] body) {
        JsonNode eviction = ObjectEndpoints.object(body);
        JsonNode options = eviction.path("deleteOptions").isObject() ? eviction.path("deleteOptions") : null;
        store.delete(at.withoutSubresource(), options);
        evictions.incrementAndGet();
        return ApiAnswer.success(201);
    }
}
