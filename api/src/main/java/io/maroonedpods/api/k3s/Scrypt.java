package io.maroonedpods.api.k3s;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The scrypt key derivation function of RFC 7914, written from the RFC's own description (sections 3 to 6): k3s hashes
 * node passwords with it, and the JDK has no scrypt. Pure and deterministic; {@code ScryptTest} checks it against the
 * RFC's test vectors.
 */
public final class Scrypt {
    /** The most memory one derivation may use (128 * r * N bytes): k3s's own parameters need 32 MiB. */
    static final long MAX_MEMORY_BYTES = 256L * 1024 * 1024;

    private static final int HMAC_BLOCK = 64;

    private Scrypt() {}

    /**
     * scrypt(P, S, N, r, p, dkLen).
     *
     * @throws IllegalArgumentException for parameters the RFC does not allow, or more than {@link #MAX_MEMORY_BYTES}
     *                                  of memory
     */
    public static byte[] derive(byte[] password, byte[] salt, int n, int r, int p, int keyLength) {
        if (n < 2 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("scrypt: N must be a power of 2 greater than 1, got " + n);
        }
        if (r < 1 || p < 1 || (long) r * p >= 1L << 30 || keyLength < 1) {
            throw new IllegalArgumentException("scrypt: r, p and the key length must be positive with r * p < 2^30");
        }
        if (128L * r * n > MAX_MEMORY_BYTES) {
            throw new IllegalArgumentException(
                    "scrypt: N=" + n + ", r=" + r + " needs more than " + MAX_MEMORY_BYTES / (1024 * 1024) + " MiB");
        }
        int blockBytes = 128 * r;
        byte[] b = pbkdf2Sha256Once(password, salt, p * blockBytes);
        int[] x = new int[32 * r];
        int[] v = new int[32 * r * n];
        int[] scratch = new int[32 * r];
        for (int i = 0; i < p; i++) {
            toWords(b, i * blockBytes, x);
            roMix(x, v, scratch, r, n);
            fromWords(x, b, i * blockBytes);
        }
        return pbkdf2Sha256Once(password, b, keyLength);
    }

    /** RFC 7914 section 5, scryptROMix, on the block as 32-bit little-endian words. */
    private static void roMix(int[] x, int[] v, int[] scratch, int r, int n) {
        int words = 32 * r;
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, 0, v, i * words, words);
            blockMix(x, scratch, r);
        }
        for (int i = 0; i < n; i++) {
            int j = x[(2 * r - 1) * 16] & (n - 1); // Integerify: the first word of the last 64-byte block
            for (int k = 0; k < words; k++) {
                x[k] ^= v[j * words + k];
            }
            blockMix(x, scratch, r);
        }
    }

    /** RFC 7914 section 4, scryptBlockMix: the even blocks first, then the odd ones. */
    private static void blockMix(int[] b, int[] y, int r) {
        int[] t = Arrays.copyOfRange(b, (2 * r - 1) * 16, 2 * r * 16);
        for (int i = 0; i < 2 * r; i++) {
            for (int k = 0; k < 16; k++) {
                t[k] ^= b[i * 16 + k];
            }
            salsa208(t);
            int to = (i % 2 == 0 ? i / 2 : r + i / 2) * 16;
            System.arraycopy(t, 0, y, to, 16);
        }
        System.arraycopy(y, 0, b, 0, 32 * r);
    }

    /** RFC 7914 section 3: the Salsa20/8 core, adding the input to the result. */
    private static void salsa208(int[] b) {
        int[] x = b.clone();
        for (int round = 0; round < 8; round += 2) {
            quarter(x, 4, 0, 12, 8);
            quarter(x, 9, 5, 1, 13);
            quarter(x, 14, 10, 6, 2);
            quarter(x, 3, 15, 11, 7);
            quarter(x, 1, 0, 3, 2);
            quarter(x, 6, 5, 4, 7);
            quarter(x, 11, 10, 9, 8);
            quarter(x, 12, 15, 14, 13);
        }
        for (int i = 0; i < 16; i++) {
            b[i] += x[i];
        }
    }

    /** One column or row step: x[a] ^= R(x[b]+x[c], 7), then 9, 13, 18 around the same four words. */
    private static void quarter(int[] x, int a, int b, int c, int d) {
        x[a] ^= Integer.rotateLeft(x[b] + x[c], 7);
        x[d] ^= Integer.rotateLeft(x[a] + x[b], 9);
        x[c] ^= Integer.rotateLeft(x[d] + x[a], 13);
        x[b] ^= Integer.rotateLeft(x[c] + x[d], 18);
    }

    /** PBKDF2-HMAC-SHA256 with one iteration (all scrypt needs): T_i = HMAC(P, S || INT(i)). */
    static byte[] pbkdf2Sha256Once(byte[] password, byte[] salt, int length) {
        byte[] out = new byte[length];
        byte[] message = Arrays.copyOf(salt, salt.length + 4);
        for (int block = 1, done = 0; done < length; block++) {
            ByteBuffer.wrap(message, salt.length, 4).putInt(block);
            byte[] t = hmacSha256(password, message);
            System.arraycopy(t, 0, out, done, Math.min(t.length, length - done));
            done += t.length;
        }
        return out;
    }

    /** HMAC-SHA256 (RFC 2104), by hand: the JDK's Mac refuses an empty key, which RFC 7914's first vector uses. */
    static byte[] hmacSha256(byte[] key, byte[] message) {
        MessageDigest sha256 = sha256();
        byte[] k = key.length > HMAC_BLOCK ? sha256.digest(key) : key;
        byte[] inner = new byte[HMAC_BLOCK];
        byte[] outer = new byte[HMAC_BLOCK];
        for (int i = 0; i < HMAC_BLOCK; i++) {
            byte kb = i < k.length ? k[i] : 0;
            inner[i] = (byte) (kb ^ 0x36);
            outer[i] = (byte) (kb ^ 0x5c);
        }
        sha256.update(inner);
        byte[] innerHash = sha256.digest(message);
        sha256.update(outer);
        return sha256.digest(innerHash);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void toWords(byte[] bytes, int offset, int[] words) {
        ByteBuffer.wrap(bytes, offset, words.length * 4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .asIntBuffer()
                .get(words);
    }

    private static void fromWords(int[] words, byte[] bytes, int offset) {
        ByteBuffer.wrap(bytes, offset, words.length * 4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .asIntBuffer()
                .put(words);
    }
}
