package io.maroonedpods.extender;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fabric8 CRUD mock API server, taught two things it does not do: paged lists ({@link ListPages}) and Bindings.
 * The CRUD mock would store a POSTed
 * Binding as an object and leave the pod unbound; the real API server instead sets the pod's spec.nodeName, checks
 * the UID precondition, and answers 409 "already assigned" when the pod has a node. This dispatcher does that (for
 * both the {@code bindings} collection and the {@code pods/<name>/binding} subresource), atomically, and records every
 * Binding it accepted so tests can count them.
 */
public final class ApiServer implements AutoCloseable {
    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final BindingDispatcher dispatcher = new BindingDispatcher();

    public ApiServer() {
        this(false);
    }

    /** With {@code https}, served over TLS (self-signed): what an out-of-process client such as the jar needs. */
    public ApiServer(boolean https) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, https);
        server.init();
        client = server.createClient();
    }

    public KubernetesClient client() {
        return client;
    }

    /**
     * The next GET of this pod answers {@code stale} instead of the stored pod: what a read that raced with another
     * writer looks like (the pod was bound, or deleted and recreated, between our read and our Binding).
     */
    public void answerNextReadOfPodWith(io.fabric8.kubernetes.api.model.Pod stale) {
        dispatcher.stale.put("/api/v1/namespaces/" + stale.getMetadata().getNamespace() + "/pods/"
                + stale.getMetadata().getName(), stale);
    }

    /** How many list pages with a continue token were answered (paged lists, see {@link ListPages}). */
    public int listPagesServed() {
        return dispatcher.pages.pagesServed();
    }

    /** The requests received so far from clients with this User-Agent (each is handed out once). */
    public List<RecordedRequest> requestsFrom(String userAgent) throws InterruptedException {
        List<RecordedRequest> from = new ArrayList<>();
        for (RecordedRequest request; (request = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null; ) {
            if (userAgent.equals(request.getHeader("User-Agent"))) {
                from.add(request);
            }
        }
        return from;
    }

    /** "namespace/pod -> node" for every Binding the API server accepted. */
    public List<String> acceptedBindings() {
        return List.copyOf(dispatcher.accepted);
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }

    private static final class BindingDispatcher extends KubernetesCrudDispatcher {
        private static final Pattern BINDINGS = Pattern.compile(
                "/api/v1/namespaces/([^/]+)/(?:bindings|pods/([^/]+)/binding)/?(?:\\?.*)?");
        final List<String> accepted = new CopyOnWriteArrayList<>();
        final Map<String, Pod> stale = new ConcurrentHashMap<>();
        final ListPages pages = new ListPages();

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            Matcher m = BINDINGS.matcher(request.getPath());
            if (request.method() == HttpMethod.POST && m.matches()) {
                return bind(m.group(1), Serialization.unmarshal(request.getUtf8Body(), Binding.class));
            }
            Pod staleAnswer = request.method() == HttpMethod.GET ? stale.remove(request.getPath()) : null;
            if (staleAnswer != null) {
                return new MockResponse().setResponseCode(200).setBody(Serialization.asJson(staleAnswer))
                        .setHeader("Content-Type", "application/json");
            }
            MockResponse page = request.method() == HttpMethod.GET ? pages.answer(request.getPath(), this::handleGet)
                    : null;
            if (page != null) {
                return page;
            }
            return super.dispatch(request);
        }

        private synchronized MockResponse bind(String namespace, Binding binding) {
            String name = binding.getMetadata().getName();
            String podPath = "/api/v1/namespaces/" + namespace + "/pods/" + name;
            MockResponse current = handleGet(podPath);
            if (current.code() == 404) {
                return status(404, "NotFound", "pods \"" + name + "\" not found");
            }
            Pod pod = Serialization.unmarshal(new String(current.getBody().getBytes(), StandardCharsets.UTF_8),
                    Pod.class);
            String wantedUid = binding.getMetadata().getUid();
            if (wantedUid != null && !wantedUid.equals(pod.getMetadata().getUid())) {
                return status(409, "Conflict", "Operation cannot be fulfilled on pods/binding \"" + name
                        + "\": Precondition failed: UID in precondition: " + wantedUid + ", UID in object meta: "
                        + pod.getMetadata().getUid());
            }
            if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
                return status(409, "Conflict", "Operation cannot be fulfilled on pods/binding \"" + name
                        + "\": pod " + name + " is already assigned to node \"" + pod.getSpec().getNodeName() + "\"");
            }
            pod.getSpec().setNodeName(binding.getTarget().getName());
            byte[] body = Serialization.asJson(pod).getBytes(StandardCharsets.UTF_8);
            handleUpdate(new RecordedRequest("HTTP/1.1", HttpMethod.PUT, podPath,
                    Headers.builder().add("Content-Type", "application/json").build(), new Buffer(body)));
            accepted.add(namespace + "/" + name + " -> " + binding.getTarget().getName());
            return status(201, "Success", "");
        }

        private static MockResponse status(int code, String reason, String message) {
            Status status = new StatusBuilder().withApiVersion("v1").withKind("Status")
                    .withStatus(code < 300 ? "Success" : "Failure").withReason(reason).withMessage(message)
                    .withCode(code).build();
            return new MockResponse().setResponseCode(code).setBody(Serialization.asJson(status))
                    .setHeader("Content-Type", "application/json");
        }
    }
}
