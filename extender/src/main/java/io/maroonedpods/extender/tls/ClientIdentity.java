package io.maroonedpods.extender.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * Who a client certificate names: its subject CN and its DNS and URI subject alternative names. A CA vouches for every
 * certificate it signs; the cluster's client CA signs every kubelet's, so trusting it alone would let any node call
 * the extender. The extender answers only certificates naming one of the configured identities.
 */
public final class ClientIdentity {
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;

    private ClientIdentity() {}

    /**
     * The names a certificate is known by: its subject CN (only when it has exactly one: with two, which one a client
     * means is not obvious, and Go and Java pick differently) and its DNS and URI subject alternative names.
     */
    public static List<String> names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        List<String> commonNames = commonNames(certificate.getSubjectX500Principal());
        if (commonNames.size() == 1) {
            names.add(commonNames.get(0));
        }
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    int type = (Integer) alternative.get(0);
                    if ((type == SAN_DNS || type == SAN_URI) && alternative.get(1) instanceof String name) {
                        names.add(name);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // An unreadable extension names nobody: the certificate may still pass on its CN.
        }
        return names;
    }

    /** Whether the certificate names one of {@code allowed}, compared exactly. */
    public static boolean isAllowed(X509Certificate certificate, Set<String> allowed) {
        return names(certificate).stream().anyMatch(allowed::contains);
    }

    /** How a refusal describes the certificate: its subject and alternative names, never anything secret. */
    public static String describe(X509Certificate certificate) {
        return "subject \"" + certificate.getSubjectX500Principal().getName(X500Principal.RFC2253) + "\", names "
                + names(certificate);
    }

    private static List<String> commonNames(X500Principal subject) {
        List<String> commonNames = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(subject.getName(X500Principal.RFC2253)).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue() instanceof String value) {
                    commonNames.add(value);
                }
            }
        } catch (InvalidNameException e) {
            // The JDK wrote the name in RFC 2253 itself: it parses. A subject it cannot has no CN for us.
        }
        return commonNames;
    }
}
