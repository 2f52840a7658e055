package io.maroonedpods.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.api.config.MaroonedPodsConfig;
import io.maroonedpods.manifests.yaml.Kustomization;
import io.maroonedpods.manifests.yaml.StrictYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** What `kubectl apply -k` installs: it builds, runs locked down, and agrees with the api defaults and the Makefile. */
class InstallTest {
    static final String SERVICES_IMAGE = "quay.io/maroonedpods/maroonedpods-services";

    @TestFactory
    Stream<DynamicTest> everyKustomizationBuildsWithKubectl() {
        return Repo.KUSTOMIZATIONS.stream()
                .map(dir -> DynamicTest.dynamicTest(
                        Repo.relative(dir),
                        () -> assertThat(Kustomize.build(dir))
                                .as("objects built from %s", Repo.relative(dir))
                                .isNotEmpty()));
    }

    @Test
    void aMissingKubectlFailsSayingHowToGetIt() {
        assertThatThrownBy(() -> Kustomize.run("kubectl-not-installed-here", "kustomize", Repo.BASE.toString()))
                .hasMessageContaining("kubectl is missing")
                .hasMessageContaining("not Debian's kubernetes-client package");
    }

    @TestFactory
    Stream<DynamicTest> everyContainerRunsRestrictedWithResources() {
        return Repo.KUSTOMIZATIONS.stream()
                .flatMap(dir -> Kustomize.all(dir, Deployment.class).stream()
                        .map(d -> DynamicTest.dynamicTest(
                                Repo.relative(dir) + " " + d.getMetadata().getName(), () -> {
                                    PodSpec pod = d.getSpec().getTemplate().getSpec();
                                    assertThat(pod.getSecurityContext().getRunAsNonRoot())
                                            .isTrue();
                                    assertThat(pod.getSecurityContext()
                                                    .getSeccompProfile()
                                                    .getType())
                                            .isEqualTo("RuntimeDefault");
                                    assertThat(pod.getServiceAccountName())
                                            .as("a dedicated ServiceAccount")
                                            .isNotBlank()
                                            .isNotEqualTo("default");
                                    assertThat(d.getSpec().getReplicas())
                                            .as("replicas")
                                            .isGreaterThanOrEqualTo(2);
                                    assertThat(Kustomize.all(dir, PodDisruptionBudget.class))
                                            .as(
                                                    "a disruption budget for %s",
                                                    d.getMetadata().getName())
                                            .anySatisfy(pdb -> assertThat(pdb.getSpec()
                                                            .getSelector()
                                                            .getMatchLabels())
                                                    .isEqualTo(d.getSpec()
                                                            .getSelector()
                                                            .getMatchLabels()));
                                    for (Container c : pod.getContainers()) {
                                        var sc = c.getSecurityContext();
                                        assertThat(sc.getAllowPrivilegeEscalation())
                                                .as("%s allowPrivilegeEscalation", c.getName())
                                                .isFalse();
                                        assertThat(sc.getReadOnlyRootFilesystem())
                                                .as("%s readOnlyRootFilesystem", c.getName())
                                                .isTrue();
                                        assertThat(sc.getRunAsNonRoot())
                                                .as("%s runAsNonRoot", c.getName())
                                                .isTrue();
                                        assertThat(sc.getCapabilities().getDrop())
                                                .as("%s capabilities.drop", c.getName())
                                                .containsExactly("ALL");
                                        assertThat(sc.getCapabilities().getAdd())
                                                .as("%s capabilities.add", c.getName())
                                                .isNullOrEmpty();
                                        assertThat(sc.getSeccompProfile().getType())
                                                .as("%s seccompProfile", c.getName())
                                                .isEqualTo("RuntimeDefault");
                                        assertThat(c.getResources().getRequests())
                                                .as("%s requests", c.getName())
                                                .containsKeys("cpu", "memory");
                                        assertThat(c.getResources().getLimits())
                                                .as("%s limits", c.getName())
                                                .containsKey("memory");
                                        assertThat(c.getLivenessProbe())
                                                .as(c.getName() + " liveness")
                                                .isNotNull();
                                        assertThat(c.getReadinessProbe())
                                                .as(c.getName() + " readiness")
                                                .isNotNull();
                                        assertThat(c.getImage())
                                                .as(c.getName() + " image is pinned")
                                                .matches(".+:[^:/]+")
                                                .doesNotEndWith(":latest");
                                    }
                                })));
    }

    @Test
    void provisionerRunsTwoLeaderElectedReplicasWithProbesOnItsHealthPort() {
        Deployment provisioner = Kustomize.find(Repo.SECONDARY, Deployment.class, "maroonedpods-provisioner");
        assertThat(provisioner.getMetadata().getNamespace()).isEqualTo(EffectiveConfig.DEFAULT_SYSTEM_NAMESPACE);
        assertThat(provisioner.getSpec().getReplicas()).isEqualTo(2);
        Container c = SchedulerWiringTest.container(provisioner, "provisioner");
        assertThat(c.getArgs()).containsExactly("provisioner");
        assertThat(c.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getContainerPort()).isEqualTo(8081);
            assertThat(httpGet(c.getLivenessProbe())).isEqualTo(p.getName() + " /livez");
            assertThat(httpGet(c.getReadinessProbe())).isEqualTo(p.getName() + " /readyz");
            assertThat(httpGet(c.getStartupProbe())).isEqualTo(p.getName() + " /livez");
        });
    }

    @Test
    void provisionerWatchesThePodsTheModeOptsIn() {
        assertThat(provisionerEnv(Repo.SECONDARY, "MAROON_POD_WATCH")).isEqualTo("scheduler-name");
        assertThat(provisionerEnv(Repo.GATED, "MAROON_POD_WATCH")).isEqualTo("scheduler-name");
        assertThat(provisionerEnv(Repo.MAIN, "MAROON_POD_WATCH"))
                .as("main-scheduler mode opts in by label")
                .isEqualTo("label");
        Container c = SchedulerWiringTest.container(
                Kustomize.find(Repo.MAIN, Deployment.class, "maroonedpods-provisioner"), "provisioner");
        assertThat(c.getEnv())
                .extracting(e -> e.getName())
                .as("the patch merges into the base env")
                .contains("POD_NAME", "MAROON_SYSTEM_NAMESPACE", "MAROON_POD_WATCH")
                .doesNotHaveDuplicates();
    }

    private static String provisionerEnv(Path dir, String name) {
        return SchedulerWiringTest.env(
                SchedulerWiringTest.container(
                        Kustomize.find(dir, Deployment.class, "maroonedpods-provisioner"), "provisioner"),
                name);
    }

    @Test
    void baseCreatesBothNamespacesAndADefaultConfigMatchingTheApiDefaults() {
        assertThat(Kustomize.all(Repo.BASE, Namespace.class))
                .extracting(n -> n.getMetadata().getName())
                .containsExactlyInAnyOrder(EffectiveConfig.DEFAULT_SYSTEM_NAMESPACE, Names.DEFAULT_VMI_NAMESPACE);
        MaroonedPodsConfig config = Kustomize.find(Repo.BASE, MaroonedPodsConfig.class, Names.CONFIG_NAME);
        EffectiveConfig effective = EffectiveConfig.of(config.getSpec());
        // The RBAC is scoped to it: it must be the api default the Roles were written for. No join Secret is read.
        assertThat(effective.vmNamespace()).isEqualTo(Names.DEFAULT_VMI_NAMESPACE);
        assertThat(effective.tokenSecretRef()).isNull();
        assertThat(effective).as("the base config only spells out defaults").isEqualTo(EffectiveConfig.defaults());
    }

    @Test
    void everyObjectOutsideTheClusterScopeNamesItsNamespace() {
        for (Path dir : Repo.KUSTOMIZATIONS) {
            for (HasMetadata o : Kustomize.build(dir)) {
                if (o instanceof io.fabric8.kubernetes.api.model.Namespaced) {
                    assertThat(o.getMetadata().getNamespace())
                            .as("%s %s in %s", o.getKind(), o.getMetadata().getName(), Repo.relative(dir))
                            .isIn(
                                    EffectiveConfig.DEFAULT_SYSTEM_NAMESPACE,
                                    Names.DEFAULT_VMI_NAMESPACE,
                                    Names.K3S_NODE_PASSWORD_NAMESPACE);
                }
            }
        }
    }

    @Test
    void serviceImageInEveryOverlayIsTheMakefileDefault() throws IOException {
        String makefile = Files.readString(Repo.ROOT.resolve("Makefile"));
        String image = makeDefault(makefile, "IMAGE");
        String tag = makeDefault(makefile, "TAG");
        assertThat(image).isEqualTo(SERVICES_IMAGE);
        for (Path dir : List.of(Repo.SECONDARY, Repo.MAIN)) {
            Kustomization k = StrictYaml.convert(
                    StrictYaml.documents(dir.resolve("kustomization.yaml")).getFirst(), Kustomization.class);
            assertThat(k.images()).as(Repo.relative(dir)).anySatisfy(i -> {
                assertThat(i.name()).isEqualTo(SERVICES_IMAGE);
                assertThat(i.newName()).isEqualTo(image);
                assertThat(i.newTag()).isEqualTo(tag);
            });
            List<String> servicesImages = Kustomize.all(dir, Deployment.class).stream()
                    .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream())
                    .map(Container::getImage)
                    .filter(i -> i.startsWith(SERVICES_IMAGE + ":"))
                    .distinct()
                    .toList();
            assertThat(servicesImages).as(Repo.relative(dir)).containsExactly(image + ":" + tag);
        }
    }

    @Test
    void schedulerImageVersionIsAKustomizeParameter() {
        Kustomization k = StrictYaml.convert(
                StrictYaml.documents(Repo.SECONDARY.resolve("kustomization.yaml"))
                        .getFirst(),
                Kustomization.class);
        assertThat(k.images()).anySatisfy(i -> {
            assertThat(i.name()).isEqualTo("registry.k8s.io/kube-scheduler");
            assertThat(i.newTag()).matches("v1\\.[0-9]+\\.[0-9]+");
            Container scheduler = SchedulerWiringTest.container(
                    Kustomize.find(Repo.SECONDARY, Deployment.class, "maroon-scheduler"), "kube-scheduler");
            assertThat(scheduler.getImage()).isEqualTo(i.name() + ":" + i.newTag());
        });
    }

    private static String httpGet(Probe probe) {
        assertThat(probe).isNotNull();
        return probe.getHttpGet().getPort().getStrVal() + " "
                + probe.getHttpGet().getPath();
    }

    private static String makeDefault(String makefile, String variable) {
        Matcher m = Pattern.compile("(?m)^" + variable + " \\?= (\\S+)$").matcher(makefile);
        assertThat(m.find()).as("Makefile sets %s ?= ...", variable).isTrue();
        return m.group(1);
    }
}
