package io.maroonedpods.api.k3s;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hash k3s keeps of a node's password in {@code kube-system/<node>.node-password.k3s} (key {@code hash}), in
 * k3s's own format (pkg/authenticator/hash/scrypt.go): {@code $1:<salt as hex>:<log2 N>:<r>:<p>:<key as unpadded
 * standard base64>}, the key being scrypt of the password. k3s verifies with the parameters the hash names, so a hash
 * made here with any cost is checked by k3s exactly like one it made itself. Pure.
 */
public final class NodePasswordHash {
    /** The format version k3s writes and accepts. */
    public static final int VERSION = 1;

    static final int KEY_LENGTH = 64;
    static final int SALT_LENGTH = 8;

    /** scrypt's cost: N = 2^log2N, block size r, parallelism p. */
    public record Cost(int log2N, int r, int p) {}

    /** What k3s itself uses (NewSCrypt): N = 2^15, r = 8, p = 1, a 64-byte key and an 8-byte salt. */
    public static final Cost K3S_DEFAULT = new Cost(15, 8, 1);

    /**
     * What the provisioner uses: N = 2^4 with k3s's r and p. A work factor slows the guessing of a password people
     * chose; ours are 128 random bits, which no cost makes any harder or easier to guess, so it only has to be cheap
     * for a burst of VMs (k3s's own, 32 MiB and ~0.2 s a hash here, would cost a 1,000-pod burst minutes of CPU).
     * k3s reads the cost from the hash, so it verifies these exactly as its own.
     */
    public static final Cost PROVISIONER = new Cost(4, 8, 1);

    private static final Pattern FORMAT =
            Pattern.compile("\\$(\\d+):([0-9a-fA-F]*):(\\d+):(\\d+):(\\d+):([A-Za-z0-9+/]+)");
    private static final HexFormat HEX = HexFormat.of();

    private NodePasswordHash() {}

    /** A fresh node password as k3s makes its own (16 random bytes as 32 hex digits). */
    public static String newPassword(RandomGenerator random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /** The hash of {@code password} with a random salt. */
    public static String create(String password, RandomGenerator random, Cost cost) {
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        return create(password, salt, cost);
    }

    /** The hash of {@code password} with this salt: deterministic, for tests against other implementations. */
    public static String create(String password, byte[] salt, Cost cost) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("a node password must not be empty");
        }
        byte[] key = Scrypt.derive(
                password.getBytes(StandardCharsets.UTF_8), salt, 1 << cost.log2N(), cost.r(), cost.p(), KEY_LENGTH);
        return "$" + VERSION + ":" + HEX.formatHex(salt) + ":" + cost.log2N() + ":" + cost.r() + ":" + cost.p() + ":"
                + Base64.getEncoder().withoutPadding().encodeToString(key);
    }

    /**
     * Whether {@code password} is the one hashed, as k3s's VerifyHash decides: same version, then scrypt with the
     * hash's own salt and parameters, compared in constant time. A hash that does not parse matches nothing.
     */
    public static boolean matches(String hash, String password) {
        Matcher m = hash == null ? null : FORMAT.matcher(hash.strip());
        if (m == null || !m.matches() || password == null || password.isEmpty()) {
            return false;
        }
        try {
            if (Integer.parseInt(m.group(1)) != VERSION) {
                return false;
            }
            byte[] salt = HEX.parseHex(m.group(2));
            int log2N = Integer.parseInt(m.group(3));
            byte[] expected = Base64.getDecoder().decode(m.group(6));
            if (log2N < 1 || log2N > 30 || expected.length == 0) {
                return false;
            }
            byte[] actual = Scrypt.derive(
                    password.getBytes(StandardCharsets.UTF_8),
                    salt,
                    1 << log2N,
                    Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)),
                    expected.length);
            return MessageDigest.isEqual(expected, actual);
        } catch (IllegalArgumentException e) {
            return false; // numbers out of range, bad base64, parameters scrypt refuses
        }
    }
}
