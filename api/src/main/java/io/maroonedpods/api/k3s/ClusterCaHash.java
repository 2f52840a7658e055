package io.maroonedpods.api.k3s;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The CA hash of a k3s token, as k3s computes it (pkg/clientaccess/token.go, hashCA) over the CA bundle its
 * supervisor serves at {@code /cacerts}: the SHA-256 of the bundle's bytes when it holds one certificate (the usual
 * self-signed cluster CA; every byte counts); with more than one, the SHA-256 of the DER of the root that the bundle's
 * first certificate chains to among the others (roots: certificates without an authority key id, or whose authority
 * key id is their subject key id), and of the bytes again when no such chain exists. {@code k3s token create} hashes
 * the CA of its kubeconfig the same way (pkg/cli/token): so does the provisioner with the CA it trusts for the API.
 */
public final class ClusterCaHash {
    private static final String SUBJECT_KEY_ID = "2.5.29.14";
    private static final String AUTHORITY_KEY_ID = "2.5.29.35";

    private ClusterCaHash() {}

    /**
     * @throws IllegalArgumentException when the bundle holds no PEM certificate
     */
    public static String of(byte[] bundle) {
        List<X509Certificate> certs = parse(bundle);
        byte[] hashed = certs.size() > 1 ? rootOfFirst(certs) : null;
        return HexFormat.of().formatHex(sha256(hashed != null ? hashed : bundle));
    }

    private static List<X509Certificate> parse(byte[] bundle) {
        try {
            List<X509Certificate> certs = new ArrayList<>();
            CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bundle))
                    .forEach(c -> certs.add((X509Certificate) c));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("the CA bundle holds no certificate");
            }
            return certs;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the CA bundle is not PEM certificates: " + e.getMessage());
        }
    }

    /** The DER of the root the first certificate chains to through the others, or null when it chains to none. */
    private static byte[] rootOfFirst(List<X509Certificate> certs) {
        X509Certificate current = certs.getFirst();
        for (int depth = 0; depth < certs.size(); depth++) {
            X509Certificate issuer = issuerOf(current, certs.subList(1, certs.size()));
            if (issuer == null) {
                return null;
            }
            if (isRoot(issuer)) {
                try {
                    return issuer.getEncoded();
                } catch (CertificateException e) {
                    return null;
                }
            }
            current = issuer;
        }
        return null;
    }

    private static X509Certificate issuerOf(X509Certificate cert, List<X509Certificate> pool) {
        for (X509Certificate candidate : pool) {
            if (!candidate.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                continue;
            }
            try {
                cert.verify(candidate.getPublicKey());
                candidate.checkValidity();
                return candidate;
            } catch (GeneralSecurityException e) {
                // not this one
            }
        }
        return null;
    }

    private static boolean isRoot(X509Certificate cert) {
        byte[] authority = keyId(cert.getExtensionValue(AUTHORITY_KEY_ID), true);
        return authority == null || Arrays.equals(authority, keyId(cert.getExtensionValue(SUBJECT_KEY_ID), false));
    }

    /**
     * The key identifier inside an extension value as {@link X509Certificate#getExtensionValue} returns it (an OCTET
     * STRING around the extension's DER): for the subject key id an OCTET STRING, for the authority key id the
     * {@code [0]} field of a SEQUENCE. Null when absent.
     */
    private static byte[] keyId(byte[] extension, boolean authority) {
        if (extension == null) {
            return null;
        }
        Der outer = Der.read(extension, 0);
        Der inner = Der.read(extension, outer.start());
        if (!authority) {
            return inner.value(extension);
        }
        for (int at = inner.start(); at < inner.end(); ) {
            Der field = Der.read(extension, at);
            if (field.tag() == (byte) 0x80) {
                return field.value(extension);
            }
            at = field.end();
        }
        return null;
    }

    /** One DER tag-length-value: where its contents start and end. */
    private record Der(byte tag, int start, int end) {
        static Der read(byte[] der, int at) {
            int length = der[at + 1] & 0xff;
            int start = at + 2;
            if (length > 0x7f) {
                int bytes = length & 0x7f;
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | (der[start + i] & 0xff);
                }
                start += bytes;
            }
            return new Der(der[at], start, start + length);
        }

        byte[] value(byte[] der) {
            return Arrays.copyOfRange(der, start, end);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
