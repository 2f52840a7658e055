package io.maroonedpods.api.config;

import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

/** Reads and checks {@code spec.nodeNetwork} for {@link EffectiveConfig#of}. Pure. */
final class NodeNetworks {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private NodeNetworks() {}

    /**
     * The NetworkAttachmentDefinition of the node LAN as {@code namespace/name}, or null for the pod network; adds a
     * message naming the field for each problem.
     */
    static String attachment(
            List<String> errors, MaroonedPodsConfigSpec spec, String vmNamespace, String binding, String serverUrl) {
        MaroonedPodsConfigSpec.NodeNetwork network = spec.nodeNetwork();
        if (network == null || network.networkAttachment() == null) {
            return null;
        }
        String text = network.networkAttachment().strip();
        String[] parts = text.split("/", -1);
        String namespace = parts.length == 2 ? parts[0] : vmNamespace;
        String name = parts[parts.length - 1];
        if (parts.length > 2
                || !DNS_LABEL.matcher(namespace).matches()
                || !DNS_SUBDOMAIN.matcher(name).matches()) {
            errors.add("spec.nodeNetwork.networkAttachment: must be <namespace>/<name> (or <name>) of a"
                    + " NetworkAttachmentDefinition, got '" + network.networkAttachment() + "'");
            return null;
        }
        if ("passt".equals(binding)) {
            errors.add("spec.networkBinding: the node LAN (spec.nodeNetwork) is attached with the bridge binding;"
                    + " passt applies to the pod network only, got 'passt'");
        }
        if (isClusterServiceName(serverUrl)) {
            errors.add("spec.join.serverURL: a VM on the node LAN (spec.nodeNetwork) cannot resolve cluster Service"
                    + " names: use the k3s server's address on the LAN, such as https://192.168.1.10:6443, got '"
                    + serverUrl + "'");
        }
        return namespace + "/" + name;
    }

    /** A host such as kubernetes.default.svc or kubernetes.default.svc.cluster.local: resolved by cluster DNS only. */
    private static boolean isClusterServiceName(String url) {
        try {
            String host = URI.create(url).getHost();
            return host != null && (host.endsWith(".svc") || host.contains(".svc."));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
