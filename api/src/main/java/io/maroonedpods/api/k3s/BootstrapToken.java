package io.maroonedpods.api.k3s;

import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * A kubeadm-style bootstrap token {@code <id>.<secret>} (k8s.io/cluster-bootstrap), which k3s accepts as an agent's
 * join token (k3s ADR "agent-join-token"): its Secret {@code kube-system/bootstrap-token-<id>} of type
 * {@code bootstrap.kubernetes.io/token} authenticates the holder as {@code system:bootstrap:<id>} in the group
 * {@code system:bootstrappers}, which k3s's supervisor serves the agent endpoints to. The id is public (it names the
 * Secret); the secret is the credential.
 */
public record BootstrapToken(String id, String secret) {
    public static final String NAMESPACE = "kube-system";
    public static final String SECRET_PREFIX = "bootstrap-token-";
    public static final String SECRET_TYPE = "bootstrap.kubernetes.io/token";
    public static final String TOKEN_ID_KEY = "token-id";
    public static final String TOKEN_SECRET_KEY = "token-secret";
    /** RFC 3339 in UTC; the authenticator refuses the token after it, and the tokencleaner deletes the Secret. */
    public static final String EXPIRATION_KEY = "expiration";

    public static final String DESCRIPTION_KEY = "description";
    /** Usage "authentication" only: the token may authenticate, never sign the cluster-info ConfigMap. */
    public static final String USAGE_AUTHENTICATION_KEY = "usage-bootstrap-authentication";

    public static final String EXTRA_GROUPS_KEY = "auth-extra-groups";

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final Pattern ID = Pattern.compile("[a-z0-9]{6}");
    private static final Pattern SECRET = Pattern.compile("[a-z0-9]{16}");
    private static final Pattern TOKEN = Pattern.compile("([a-z0-9]{6})\\.([a-z0-9]{16})");

    public BootstrapToken {
        if (id == null
                || !ID.matcher(id).matches()
                || secret == null
                || !SECRET.matcher(secret).matches()) {
            throw new IllegalArgumentException("a bootstrap token is [a-z0-9]{6}.[a-z0-9]{16}");
        }
    }

    /** A fresh token; {@code random} should be a SecureRandom (the secret is ~82 bits). */
    public static BootstrapToken random(RandomGenerator random) {
        return new BootstrapToken(chars(random, 6), chars(random, 16));
    }

    /** The token of {@code <id>.<secret>}, or null when the text is not one. */
    public static BootstrapToken parse(String text) {
        var m = text == null ? null : TOKEN.matcher(text);
        return m != null && m.matches() ? new BootstrapToken(m.group(1), m.group(2)) : null;
    }

    /** The name of the Secret holding a token of this id. */
    public static String secretName(String id) {
        return SECRET_PREFIX + id;
    }

    public String secretName() {
        return secretName(id);
    }

    /** {@code <id>.<secret>}: the credential itself. */
    public String value() {
        return id + "." + secret;
    }

    /** Keeps the secret out of logs, exceptions and test reports. */
    @Override
    public String toString() {
        return "BootstrapToken[id=" + id + ", secret=<redacted>]";
    }

    private static String chars(RandomGenerator random, int count) {
        StringBuilder out = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }
}
