package io.maroonedpods.nodeimage.support;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes' version-skew policy for a kubelet (here: the k3s agent in the node image) and the control plane it joins:
 * the kubelet may be up to three minor versions older than kube-apiserver, never newer.
 */
public final class VersionSkew {
    public static final int MAX_KUBELET_MINORS_BEHIND = 3;
    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)\\.\\d+([-+].*)?");

    private VersionSkew() {}

    /** A Kubernetes release's major and minor, from {@code v1.34.3+k3s1}, {@code v1.34.1} or {@code 1.34.0}. */
    public record Minor(int major, int minor) {
        public static Minor of(String version) {
            Matcher m = VERSION.matcher(version);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a Kubernetes version: " + version);
            }
            return new Minor(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }

        @Override
        public String toString() {
            return major + "." + minor;
        }
    }

    /** Why a kubelet of this version may not join an API server of that one; empty when the policy allows it. */
    public static Optional<String> kubeletProblem(Minor kubelet, Minor apiServer) {
        if (kubelet.major() != apiServer.major()) {
            return Optional.of("kubelet " + kubelet + " and API server " + apiServer + " differ in major version");
        }
        int behind = apiServer.minor() - kubelet.minor();
        if (behind < 0) {
            return Optional.of("kubelet " + kubelet + " is newer than API server " + apiServer);
        }
        if (behind > MAX_KUBELET_MINORS_BEHIND) {
            return Optional.of("kubelet " + kubelet + " is " + behind + " minors behind API server " + apiServer
                    + " (at most " + MAX_KUBELET_MINORS_BEHIND + ")");
        }
        return Optional.empty();
    }
}
