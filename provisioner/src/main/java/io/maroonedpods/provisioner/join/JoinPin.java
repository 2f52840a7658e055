package io.maroonedpods.provisioner.join;

import io.maroonedpods.api.k3s.ClusterCaHash;
import io.maroonedpods.api.k3s.K3sToken;
import io.maroonedpods.provisioner.events.Reason;
import java.util.regex.Pattern;

/**
 * The cluster CA hash every VM's token is pinned to (the {@code K10<hash>::} of k3s tokens: the agent refuses a
 * server whose {@code /cacerts} does not hash to it), or why there is none. Pure: the inputs are read elsewhere.
 *
 * @param caHash  64 hex digits, or null with a problem
 * @param reason  the condition and Event reason of the problem ({@code JoinSecretMissing}, {@code JoinTokenRefused},
 *                {@code ClusterCaUnknown}), null when there is none
 * @param problem what is wrong, naming the field or the Secret (never a token), or null
 */
public record JoinPin(String caHash, Reason reason, String problem) {
    public static final Reason SECRET_MISSING = Reason.JoinSecretMissing;
    public static final Reason TOKEN_REFUSED = Reason.JoinTokenRefused;
    public static final Reason CA_UNKNOWN = Reason.ClusterCaUnknown;
    /** Just the pin, what the docs recommend storing: {@code K10<hash>::} with no credentials after it. */
    private static final Pattern BARE_PIN = Pattern.compile("K10[0-9a-f]{64}::");

    public boolean ok() {
        return problem == null;
    }

    static JoinPin of(String caHash) {
        return new JoinPin(caHash, null, null);
    }

    public static JoinPin refused(Reason reason, String problem) {
        return new JoinPin(null, reason, problem);
    }

    /**
     * The pin from the CA bundle the provisioner trusts for the API server: the same hash {@code k3s token create}
     * computes from its kubeconfig's CA. On k3s that bundle is the server CA the supervisor serves at /cacerts
     * (kube-controller-manager publishes it as kube-root-ca.crt from {@code --root-ca-file}, which k3s sets to it).
     */
    public static JoinPin fromClusterCa(byte[] bundle, String where) {
        if (bundle == null || bundle.length == 0) {
            return refused(
                    CA_UNKNOWN,
                    "the provisioner's API client trusts no CA certificate of its own (" + where
                            + "), so the VMs cannot be pinned to the cluster CA: give it a kubeconfig with"
                            + " certificate-authority, or set spec.join.tokenSecretRef to a Secret holding K10<ca-hash>::");
        }
        try {
            return of(ClusterCaHash.of(bundle));
        } catch (IllegalArgumentException e) {
            return refused(
                    CA_UNKNOWN,
                    "the CA the provisioner trusts for the API server (" + where + ") is unusable: " + e.getMessage());
        }
    }

    /**
     * The pin from the value of the Secret named by {@code spec.join.tokenSecretRef}: only its {@code K10<hash>::}
     * prefix is used. A server token is refused outright: it is as good as cluster admin and has no business in the
     * provisioner's namespace; so is a value that pins no CA.
     */
    public static JoinPin fromConfiguredToken(String value, String where) {
        String text = value.strip();
        if (BARE_PIN.matcher(text).matches()) {
            return of(text.substring(K3sToken.PREFIX.length(), text.length() - 2));
        }
        K3sToken token;
        try {
            token = K3sToken.parse(text);
        } catch (IllegalArgumentException e) {
            return refused(
                    TOKEN_REFUSED,
                    where + " is not a k3s token (" + e.getMessage() + "): it must begin with"
                            + " K10<ca-hash>:: (spec.join.tokenSecretRef)");
        }
        if (token.isServerToken()) {
            return refused(
                    TOKEN_REFUSED,
                    where + " holds the k3s server token (K10...::server:...), which is as good"
                            + " as cluster admin: MaroonedPods refuses it and needs no cluster token at all. Delete that"
                            + " Secret; unset spec.join.tokenSecretRef, or store only the K10<ca-hash>:: prefix there");
        }
        if (token.caHash().isEmpty()) {
            return refused(
                    TOKEN_REFUSED,
                    where + " pins no cluster CA: it must begin with K10<ca-hash>::" + " (spec.join.tokenSecretRef)");
        }
        return of(token.caHash());
    }
}
