package io.maroonedpods.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a VM needs to join the cluster, as cloud-init writes it to {@link Names#JOIN_INFO_PATH} and
 * {@code node-image/marooned-node-boot.sh} reads it.
 *
 * <p>The file is a flat YAML map of double-quoted strings, one key per line, in a fixed order, so that a shell script
 * can read it without a YAML parser. Values may not contain quotes, backslashes or line breaks; {@link #problems()}
 * says so. An empty {@code pod_uid} means a warm-pool node. {@code node_mac} is the MAC of the VM's NIC on the node LAN
 * ({@link NodeLan}), empty on the pod network; it is written only when set, so a pod-network file reads as before.
 *
 * <p>Both credentials are the VM's alone: {@code token} is a bootstrap token minted for this VM (never the cluster's
 * token), {@code node_password} the password k3s binds the node name to (its hash is in
 * {@code kube-system/<node>.node-password.k3s} before the VM boots).
 */
public record JoinInfo(
        String serverUrl,
        String token,
        String podUid,
        String taintKey,
        String nodeName,
        String nodePassword,
        String nodeMac) {

    public static final String SERVER_URL = "server_url";
    public static final String TOKEN = "token";
    public static final String POD_UID = "pod_uid";
    public static final String TAINT_KEY = "taint_key";
    public static final String NODE_NAME = "node_name";
    public static final String NODE_PASSWORD = "node_password";
    public static final String NODE_MAC = "node_mac";

    private static final Pattern SAFE_VALUE = Pattern.compile("[^\"\\\\\\r\\n]*");
    private static final Pattern DNS_LABEL_PATH = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    private static final Pattern NODE_NAME_FORM = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** k3s trims the password file, so no blanks; 16 to 128 printable characters (we write 32 hex digits). */
    private static final Pattern NODE_PASSWORD_FORM = Pattern.compile("[!-~]{16,128}");

    /** The join info of a VM on the pod network (no node LAN NIC). */
    public JoinInfo(
            String serverUrl, String token, String podUid, String taintKey, String nodeName, String nodePassword) {
        this(serverUrl, token, podUid, taintKey, nodeName, nodePassword, "");
    }

    /** The same join info for a VM whose NIC on the node LAN has this MAC address. */
    public JoinInfo withNodeMac(String mac) {
        return new JoinInfo(serverUrl, token, podUid, taintKey, nodeName, nodePassword, mac);
    }

    /** True when the VM registers the address of its NIC on the node LAN ({@link #nodeMac()}). */
    public boolean onNodeLan() {
        return nodeMac != null && !nodeMac.isEmpty();
    }

    public boolean isPoolNode() {
        return podUid == null || podUid.isEmpty();
    }

    /** The file content, exactly as the boot script expects it. */
    public String render() {
        List<String> errors = problems();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid join info: " + String.join("; ", errors));
        }
        StringBuilder out = new StringBuilder("# Written by MaroonedPods cloud-init; read by marooned-node-boot.sh\n");
        fields().forEach((key, value) ->
                out.append(key).append(": \"").append(value).append("\"\n"));
        return out.toString();
    }

    /** Parses the file format; unknown keys are ignored, missing keys are empty. */
    public static JoinInfo parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            int colon = trimmed.indexOf(':');
            if (trimmed.isEmpty() || trimmed.startsWith("#") || colon < 0) {
                continue;
            }
            String value = trimmed.substring(colon + 1).strip();
            if (value.length() >= 2
                    && (value.startsWith("\"") && value.endsWith("\"")
                            || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            values.put(trimmed.substring(0, colon).strip(), value);
        }
        return new JoinInfo(
                values.getOrDefault(SERVER_URL, ""),
                values.getOrDefault(TOKEN, ""),
                values.getOrDefault(POD_UID, ""),
                values.getOrDefault(TAINT_KEY, ""),
                values.getOrDefault(NODE_NAME, ""),
                values.getOrDefault(NODE_PASSWORD, ""),
                values.getOrDefault(NODE_MAC, ""));
    }

    /** Everything wrong with this join info, each naming the field; empty when valid. Never includes a credential. */
    public List<String> problems() {
        List<String> errors = new ArrayList<>();
        fields().forEach((key, value) -> {
            if (value == null) {
                errors.add(key + ": missing");
            } else if (!SAFE_VALUE.matcher(value).matches()) {
                errors.add(key + ": must not contain quotes, backslashes or line breaks");
            }
        });
        if (!errors.isEmpty()) {
            return errors;
        }
        if (!isHttpsUrl(serverUrl)) {
            errors.add(SERVER_URL + ": must be an https:// URL with a host, got '" + serverUrl + "'");
        }
        if (token.isBlank()) {
            errors.add(TOKEN + ": missing");
        }
        if (!isPoolNode() && !Names.isPodUid(podUid)) {
            errors.add(
                    POD_UID + ": must be a pod UID (lower-case UUID) or empty for a pool node, got '" + podUid + "'");
        }
        if (!DNS_LABEL_PATH.matcher(taintKey).matches()) {
            errors.add(TAINT_KEY + ": must be a DNS subdomain such as maroonedpods.io, got '" + taintKey + "'");
        }
        if (!NODE_NAME_FORM.matcher(nodeName).matches()) {
            errors.add(NODE_NAME + ": must be a DNS label of at most 63 characters, got '" + nodeName + "'");
        }
        if (nodePassword.isBlank()) {
            errors.add(NODE_PASSWORD + ": missing");
        } else if (!NODE_PASSWORD_FORM.matcher(nodePassword).matches()) {
            errors.add(NODE_PASSWORD + ": must be 16 to 128 printable characters without blanks");
        }
        if (onNodeLan() && !NodeLan.MAC_FORM.matcher(nodeMac).matches()) {
            errors.add(NODE_MAC + ": must be a MAC address such as 02:1a:2b:3c:4d:5e (lower case) or empty, got '"
                    + nodeMac + "'");
        }
        return errors;
    }

    /** Keeps the credentials out of logs, exceptions and test reports. */
    @Override
    public String toString() {
        return "JoinInfo[serverUrl=" + serverUrl + ", token=<redacted>, podUid=" + podUid + ", taintKey=" + taintKey
                + ", nodeName=" + nodeName + ", nodePassword=<redacted>, nodeMac=" + nodeMac + "]";
    }

    private Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(SERVER_URL, serverUrl);
        fields.put(TOKEN, token);
        fields.put(POD_UID, podUid);
        fields.put(TAINT_KEY, taintKey);
        fields.put(NODE_NAME, nodeName);
        fields.put(NODE_PASSWORD, nodePassword);
        if (onNodeLan()) {
            fields.put(NODE_MAC, nodeMac);
        }
        return fields;
    }

    /** True for an https URL with a host: what a k3s agent accepts as its server. */
    public static boolean isHttpsUrl(String url) {
        try {
            URI uri = URI.create(url);
            return "https".equals(uri.getScheme()) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
