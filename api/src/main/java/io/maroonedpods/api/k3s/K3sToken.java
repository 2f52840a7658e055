package io.maroonedpods.api.k3s;

import java.util.regex.Pattern;

/**
 * A k3s join token as k3s's agent and supervisor read it (pkg/clientaccess/token.go, parseToken):
 * {@code K10<ca-hash>::<credentials>}, where the CA hash (64 hex digits, or empty) pins the cluster CA the agent
 * downloads from {@code /cacerts}, and the credentials are either a bootstrap token {@code <id>.<secret>} or
 * {@code <username>:<password>} ({@code server:} for the server token, {@code node:} for the agent token). A bare value
 * without the {@code K10} prefix is a bootstrap token or a password with no CA hash.
 *
 * @param caHash    the pinned CA hash, empty when the token pins none
 * @param bootstrap the bootstrap token, or null for username/password credentials
 * @param username  the username of username/password credentials ("" for a bare password), null for a bootstrap token
 */
public record K3sToken(String caHash, BootstrapToken bootstrap, String username) {
    public static final String PREFIX = "K10";
    private static final Pattern CA_HASH = Pattern.compile("[0-9a-f]{64}");

    /**
     * Parses as k3s does.
     *
     * @throws IllegalArgumentException as k3s refuses it: empty, a CA hash that is not 64 characters, no credentials
     */
    public static K3sToken parse(String token) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("token must not be empty");
        }
        String rest = token;
        if (!rest.startsWith(PREFIX)) {
            rest = PREFIX + (BootstrapToken.parse(rest) != null ? "::" : ":::") + rest;
        }
        rest = rest.substring(PREFIX.length());
        String caHash = "";
        int split = rest.indexOf("::");
        if (split >= 0) {
            caHash = rest.substring(0, split);
            rest = rest.substring(split + 2);
            if (!caHash.isEmpty() && caHash.length() != 64) {
                throw new IllegalArgumentException("invalid token CA hash length");
            }
        }
        BootstrapToken bootstrap = BootstrapToken.parse(rest);
        if (bootstrap != null) {
            return new K3sToken(caHash, bootstrap, null);
        }
        int colon = rest.indexOf(':');
        if (colon < 0 || colon == rest.length() - 1) {
            throw new IllegalArgumentException("invalid token format");
        }
        return new K3sToken(caHash, null, rest.substring(0, colon));
    }

    /** The token a VM gets: its bootstrap token, pinned to the cluster CA when the hash is known. */
    public static String format(String caHash, BootstrapToken token) {
        if (caHash != null && !caHash.isEmpty() && !CA_HASH.matcher(caHash).matches()) {
            throw new IllegalArgumentException("a CA hash is 64 lower-case hex digits");
        }
        return caHash == null || caHash.isEmpty() ? token.value() : PREFIX + caHash + "::" + token.value();
    }

    /** The server token ({@code server:} user): it joins servers and is as good as cluster admin. */
    public boolean isServerToken() {
        return bootstrap == null && "server".equals(username);
    }

    /** Never shows the credentials. */
    @Override
    public String toString() {
        return "K3sToken[caHash=" + caHash + ", "
                + (bootstrap != null ? "bootstrap id " + bootstrap.id() : "user " + username) + "]";
    }
}
