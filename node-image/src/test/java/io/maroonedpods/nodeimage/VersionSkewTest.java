package io.maroonedpods.nodeimage;

import static org.assertj.core.api.Assertions.assertThat;

import io.maroonedpods.nodeimage.support.BootScript;
import io.maroonedpods.nodeimage.support.Containerfile;
import io.maroonedpods.nodeimage.support.NodeImage;
import io.maroonedpods.nodeimage.support.VersionSkew;
import io.maroonedpods.nodeimage.support.VersionSkew.Minor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The k3s agent in the node image joins the cluster whose minor the manifests' kube-scheduler is pinned to (the
 * manifests tell users to run kube-scheduler at their API server's minor). Kubernetes' skew policy must hold between
 * the two: a kubelet at most three minors older than the API server, never newer.
 */
class VersionSkewTest {
    static final Path OVERLAYS = NodeImage.repoRoot().resolve("manifests/overlays");
    static final String SCHEDULER_IMAGE = "registry.k8s.io/kube-scheduler";

    @Test
    void theImagesK3sAgentMayJoinTheControlPlaneEveryOverlaysKubeSchedulerIsPinnedTo() {
        Minor kubelet = Minor.of(
                Containerfile.load(NodeImage.CONTAINERFILE).argDefaults().get("K3S_VERSION"));
        Map<String, String> schedulerTags = schedulerTagsInOverlays();

        assertThat(schedulerTags).as("kube-scheduler tags under %s", OVERLAYS).isNotEmpty();
        schedulerTags.forEach((where, tag) -> assertThat(VersionSkew.kubeletProblem(kubelet, Minor.of(tag)))
                .as("k3s %s in the node image vs kube-scheduler %s in %s", kubelet, tag, where)
                .isEmpty());
    }

    @Test
    void theSkewPolicyRefusesAKubeletMoreThanThreeMinorsBehindOrAheadOfTheApiServer() {
        Minor apiServer = Minor.of("v1.34.1");

        assertThat(VersionSkew.kubeletProblem(Minor.of("v1.28.5+k3s1"), apiServer))
                .hasValue("kubelet 1.28 is 6 minors behind API server 1.34 (at most 3)");
        assertThat(VersionSkew.kubeletProblem(Minor.of("v1.35.0+k3s1"), apiServer))
                .hasValue("kubelet 1.35 is newer than API server 1.34");
        for (String allowed : new String[] {"v1.31.0+k3s1", "v1.33.9+k3s2", "v1.34.3+k3s1"}) {
            assertThat(VersionSkew.kubeletProblem(Minor.of(allowed), apiServer))
                    .as(allowed)
                    .isEmpty();
        }
    }

    /** Every kube-scheduler image tag an overlay sets: kustomize {@code images:} entries and literal image fields. */
    private static Map<String, String> schedulerTagsInOverlays() {
        Pattern literal = Pattern.compile(Pattern.quote(SCHEDULER_IMAGE) + ":(v[0-9][^\\s\"']*)");
        Pattern kustomizeEntry = Pattern.compile(
                "name:\\s*" + Pattern.quote(SCHEDULER_IMAGE) + "\\s*\\n(?:\\s+new\\w+:.*\\n)*?\\s+newTag:\\s*(\\S+)");
        Map<String, String> tags = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(OVERLAYS)) {
            for (Path file :
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                String text = BootScript.read(file);
                for (Pattern pattern : new Pattern[] {literal, kustomizeEntry}) {
                    Matcher m = pattern.matcher(text);
                    while (m.find()) {
                        tags.put(OVERLAYS.relativize(file) + " #" + (tags.size() + 1), m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tags;
    }
}
