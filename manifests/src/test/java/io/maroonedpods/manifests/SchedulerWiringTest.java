package io.maroonedpods.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.maroonedpods.api.Names;
import io.maroonedpods.manifests.yaml.SchedulerConfig;
import io.maroonedpods.manifests.yaml.SchedulerConfig.Extender;
import io.maroonedpods.manifests.yaml.StrictYaml;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The scheduler configurations call the extender where it listens, with the verbs it serves, under our names. */
class SchedulerWiringTest {
    static final ExtenderEndpoint ENDPOINT = ExtenderEndpoint.declared();
    static final SchedulerConfig SECONDARY = read(Repo.SECONDARY.resolve("scheduler-config.yaml"));
    static final SchedulerConfig MAIN_STANZA = read(Repo.MAIN.resolve("scheduler-extenders-stanza.yaml"));

    @Test
    void secondarySchedulerProfileIsTheOptInSchedulerName() {
        assertThat(SECONDARY.profiles()).singleElement().satisfies(p -> {
            assertThat(p.schedulerName()).isEqualTo(Names.SCHEDULER_NAME);
            assertThat(p.percentageOfNodesToScore())
                    .as("the pod's one node must always be in the sample")
                    .isEqualTo(100);
        });
        assertThat(SECONDARY.percentageOfNodesToScore()).isEqualTo(100);
        assertThat(SECONDARY.podInitialBackoffSeconds()).isEqualTo(1);
        assertThat(SECONDARY.podMaxBackoffSeconds())
                .as("a verified node must wake the pod quickly")
                .isEqualTo(2);
    }

    @Test
    void secondaryExtenderIsTheSidecarOnLoopbackAtTheServedPortAndPrefix() {
        Extender extender = single(SECONDARY);
        URI url = URI.create(extender.urlPrefix());
        assertThat(url.getScheme()).isEqualTo("http");
        assertThat(url.getHost()).isEqualTo("127.0.0.1");
        assertThat(url.getPort()).as("port declared by %s", ENDPOINT.source()).isEqualTo(ENDPOINT.port());
        assertThat(url.getPath()).as("prefix declared by %s", ENDPOINT.source()).isEqualTo(ENDPOINT.prefix());

        Container sidecar = container(Kustomize.find(Repo.SECONDARY, Deployment.class, "maroon-scheduler"), "extender");
        assertThat(env(sidecar, "EXTENDER_PORT")).isEqualTo(String.valueOf(url.getPort()));
        assertThat(env(sidecar, "EXTENDER_BINDADDRESS"))
                .as("only the scheduler in the same pod may call bind")
                .isEqualTo("127.0.0.1");
        assertThat(sidecar.getPorts()).as("a loopback server publishes no port").isNullOrEmpty();
    }

    @Test
    void secondaryExtenderFiltersPrioritizesBindsAndIsNeverIgnored() {
        Extender extender = single(SECONDARY);
        assertThat(extender.filterVerb()).isEqualTo("filter").isIn(ExtenderEndpoint.VERBS);
        assertThat(extender.prioritizeVerb()).isEqualTo("prioritize").isIn(ExtenderEndpoint.VERBS);
        assertThat(extender.bindVerb()).isEqualTo("bind").isIn(ExtenderEndpoint.VERBS);
        assertThat(extender.preemptVerb()).isEqualTo("preempt").isIn(ExtenderEndpoint.VERBS);
        assertThat(extender.weight())
                .as("kube-scheduler requires a positive weight with a prioritizeVerb")
                .isPositive();
        assertThat(extender.nodeCacheCapable()).isTrue();
        assertThat(extender.ignorable())
                .as("an ignored extender's failed bind would fall back to the default binder")
                .isFalse();
        assertThat(extender.managedResources()).isNull();
        assertThat(timeout(extender)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    @Test
    void secondarySchedulerHoldsItsOwnLeaseAndMayUpdateExactlyThatOne() {
        var election = SECONDARY.leaderElection();
        assertThat(election.leaderElect()).isTrue();
        assertThat(election.resourceLock()).isEqualTo("leases");
        assertThat(election.resourceName()).isEqualTo(Names.SCHEDULER_NAME).isNotEqualTo("kube-scheduler");
        Deployment scheduler = Kustomize.find(Repo.SECONDARY, Deployment.class, "maroon-scheduler");
        assertThat(scheduler.getMetadata().getNamespace()).isEqualTo(election.resourceNamespace());
        String account = scheduler.getSpec().getTemplate().getSpec().getServiceAccountName();

        Role lease = Kustomize.all(Repo.SECONDARY, Role.class).stream()
                .filter(r -> election.resourceNamespace().equals(r.getMetadata().getNamespace()))
                .filter(r -> r.getRules().stream()
                        .anyMatch(rule -> rule.getResources().contains("leases")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Role for leases in " + election.resourceNamespace()));
        PolicyRule rule = lease.getRules().stream()
                .filter(r -> r.getResources().contains("leases"))
                .findFirst()
                .orElseThrow();
        assertThat(rule.getResourceNames()).containsExactly(election.resourceName());
        assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "update");
        assertThat(Kustomize.all(Repo.SECONDARY, RoleBinding.class)).anySatisfy(b -> {
            assertThat(b.getRoleRef().getName()).isEqualTo(lease.getMetadata().getName());
            assertThat(b.getMetadata().getNamespace())
                    .isEqualTo(lease.getMetadata().getNamespace());
            assertThat(b.getSubjects()).anySatisfy(s -> assertThat(s.getName()).isEqualTo(account));
        });
    }

    @Test
    void secondarySchedulerReadsTheGeneratedConfigMapHoldingThisFile() throws Exception {
        Deployment scheduler = Kustomize.find(Repo.SECONDARY, Deployment.class, "maroon-scheduler");
        Container kubeScheduler = container(scheduler, "kube-scheduler");
        String configArg = kubeScheduler.getArgs().stream()
                .filter(a -> a.startsWith("--config="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("kube-scheduler has no --config"));
        String path = configArg.substring("--config=".length());
        var mount = kubeScheduler.getVolumeMounts().stream()
                .filter(m -> path.startsWith(m.getMountPath() + "/"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(path + " is not on a mounted volume"));
        Volume volume = scheduler.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow();
        ConfigMap configMap = Kustomize.find(
                Repo.SECONDARY, ConfigMap.class, volume.getConfigMap().getName());
        String key = path.substring(mount.getMountPath().length() + 1);
        assertThat(configMap.getData()).containsKey(key);
        assertThat(configMap.getData().get(key))
                .isEqualTo(java.nio.file.Files.readString(Repo.SECONDARY.resolve("scheduler-config.yaml")));
    }

    @Test
    void mainSchedulerStanzaFiltersOnlyAndReachesTheExtenderService() {
        Extender extender = single(MAIN_STANZA);
        assertThat(extender.filterVerb()).isEqualTo("filter").isIn(ExtenderEndpoint.VERBS);
        assertThat(extender.bindVerb())
                .as("a bindVerb would make the extender bind every pod")
                .isNull();
        assertThat(extender.prioritizeVerb()).isNull();
        assertThat(extender.preemptVerb()).isNull();
        assertThat(extender.nodeCacheCapable()).isTrue();
        assertThat(extender.ignorable()).isFalse();
        assertThat(timeout(extender))
                .as("every pod of the cluster waits on this call")
                .isLessThanOrEqualTo(Duration.ofSeconds(3));

        URI url = URI.create(extender.urlPrefix());
        Service service = Kustomize.find(Repo.MAIN, Service.class, "maroonedpods-extender");
        assertThat(url.getHost())
                .isEqualTo(service.getMetadata().getName() + "."
                        + service.getMetadata().getNamespace() + ".svc");
        assertThat(url.getPath()).isEqualTo(ENDPOINT.prefix());
        ServicePort port = service.getSpec().getPorts().stream()
                .filter(p -> p.getPort() == url.getPort())
                .findFirst()
                .orElseThrow(() -> new AssertionError("the Service has no port " + url.getPort()));

        Deployment deployment = Kustomize.find(Repo.MAIN, Deployment.class, "maroonedpods-extender");
        assertThat(service.getSpec().getSelector())
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        Container extenderContainer = container(deployment, "extender");
        int containerPort = extenderContainer.getPorts().stream()
                .filter(p -> Objects.equals(p.getName(), port.getTargetPort().getStrVal())
                        || Objects.equals(
                                p.getContainerPort(), port.getTargetPort().getIntVal()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("targetPort " + port.getTargetPort() + " is no container port"))
                .getContainerPort();
        assertThat(containerPort).isEqualTo(ENDPOINT.port());
        assertThat(env(extenderContainer, "EXTENDER_PORT")).isEqualTo(String.valueOf(containerPort));
        assertThat(env(extenderContainer, "EXTENDER_BINDADDRESS"))
                .as("reached through the Service")
                .isEqualTo("0.0.0.0");
    }

    /**
     * Any pod can reach a Service: in main-scheduler mode the extender serves HTTPS and answers the verbs only for a
     * client certificate of its dedicated CA naming the scheduler, and the scheduler's stanza presents one.
     */
    @Test
    void mainSchedulerExtenderAnswersOnlyTheSchedulersClientCertificate() {
        Extender extender = single(MAIN_STANZA);
        Service service = Kustomize.find(Repo.MAIN, Service.class, "maroonedpods-extender");
        assertThat(URI.create(extender.urlPrefix()).getScheme()).isEqualTo("https");
        assertThat(extender.enableHTTPS()).isTrue();
        SchedulerConfig.TlsConfig tls = extender.tlsConfig();
        assertThat(tls).as("tlsConfig of the main-scheduler stanza").isNotNull();
        assertThat(tls.insecure()).as("the server certificate is checked").isNotEqualTo(Boolean.TRUE);
        assertThat(tls.serverName())
                .isEqualTo(service.getMetadata().getName() + "."
                        + service.getMetadata().getNamespace() + ".svc");
        assertThat(List.of(tls.caFile(), tls.certFile(), tls.keyFile())).doesNotContainNull();

        Deployment deployment = Kustomize.find(Repo.MAIN, Deployment.class, "maroonedpods-extender");
        Container container = container(deployment, "extender");
        assertThat(env(container, "EXTENDER_TLS_ALLOWEDCLIENTNAMES"))
                .as("the pinned client identity")
                .isNotBlank();
        for (String file : List.of("EXTENDER_TLS_CERTFILE", "EXTENDER_TLS_KEYFILE", "EXTENDER_TLS_CLIENTCAFILE")) {
            String path = env(container, file);
            assertThat(container.getVolumeMounts())
                    .as("%s=%s is on a mounted volume", file, path)
                    .anyMatch(mount ->
                            path.startsWith(mount.getMountPath() + "/") && Boolean.TRUE.equals(mount.getReadOnly()));
        }
        for (var probe :
                List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())) {
            assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTPS");
        }
    }

    @Test
    void extenderEnvironmentVariablesNameKeysTheExtenderReads() {
        for (var dir : java.util.List.of(Repo.SECONDARY, Repo.MAIN)) {
            for (Deployment d : Kustomize.all(dir, Deployment.class)) {
                d.getSpec().getTemplate().getSpec().getContainers().stream()
                        .filter(c -> c.getName().equals("extender"))
                        .flatMap(c -> c.getEnv().stream())
                        .map(EnvVar::getName)
                        .filter(name -> name.startsWith("EXTENDER_")) // JAVA_OPTS, MALLOC_ARENA_MAX: the runtime's
                        .forEach(name -> assertThat(ENDPOINT.keyOf(name))
                                .as(
                                        "%s in %s sets a key of %s (keys: %s)",
                                        name, Repo.relative(dir), ENDPOINT.source(), ENDPOINT.keys())
                                .isPresent());
            }
        }
        assertThat(ENDPOINT.keyOf("EXTENDER_BIND_ADDRESS"))
                .as("Helidon reads it as extender.bind.address")
                .isEmpty();
    }

    private static SchedulerConfig read(java.nio.file.Path file) {
        var doc = StrictYaml.documents(file).getFirst();
        SchedulerConfig config = StrictYaml.convert(doc, SchedulerConfig.class);
        assertThat(config.apiVersion()).isEqualTo("kubescheduler.config.k8s.io/v1");
        assertThat(config.kind()).isEqualTo("KubeSchedulerConfiguration");
        return config;
    }

    private static Extender single(SchedulerConfig config) {
        assertThat(config.extenders()).hasSize(1);
        return config.extenders().getFirst();
    }

    /** A metav1.Duration as kube-scheduler reads it, restricted to the plain seconds form we use ("5s"). */
    private static Duration timeout(Extender extender) {
        assertThat(extender.httpTimeout()).as("httpTimeout").matches("[0-9]+s");
        return Duration.ofSeconds(Long.parseLong(extender.httpTimeout().replace("s", "")));
    }

    static Container container(Deployment deployment, String name) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError(deployment.getMetadata().getName() + " has no container " + name));
    }

    static String env(Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .map(EnvVar::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError("container " + container.getName() + " sets no " + name));
    }
}
