package io.maroonedpods.e2e.support;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The suite's throwaway PKI: one CA that signs the API server's serving certificate and every client certificate
 * (the API server trusts it as its client CA), plus the service-account signing key. Nothing is committed: it is made
 * anew in each control plane's directory. RSA keys: fabric8's client reads PKCS#8 RSA keys (not its EC ones).
 */
public final class Pki {
    private static final Duration VALIDITY = Duration.ofDays(2);
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate ca;

    private Pki(Path dir, KeyPair caKeys, X509Certificate ca) {
        this.dir = dir;
        this.caKeys = caKeys;
        this.ca = ca;
    }

    /** A new CA in {@code dir}: {@code ca.crt}, {@code ca.key}, and the service-account key pair {@code sa.*}. */
    public static Pki create(Path dir) {
        try {
            Files.createDirectories(dir);
            KeyPair keys = rsaKeys();
            X500Name name = new X500Name("CN=maroonedpods-e2e-ca");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            name, serial(), notBefore(), notAfter(), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate ca = sign(builder, keys.getPrivate());
            Pki pki = new Pki(dir, keys, ca);
            pki.writePem("ca.crt", ca);
            pki.writePem("ca.key", keys.getPrivate());
            KeyPair sa = rsaKeys();
            pki.writePem("sa.key", sa.getPrivate());
            pki.writePem("sa.pub", sa.getPublic());
            return pki;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the test CA", e);
        }
    }

    public Path caCert() {
        return dir.resolve("ca.crt");
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** A serving certificate for loopback: {@code <name>.crt} / {@code <name>.key}. */
    public Issued serving(String name, List<String> dnsNames) {
        GeneralName[] sans = java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(new GeneralName(GeneralName.iPAddress, "127.0.0.1")),
                        dnsNames.stream().map(d -> new GeneralName(GeneralName.dNSName, d)))
                .toArray(GeneralName[]::new);
        return issue(
                name,
                new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build(),
                KeyPurposeId.id_kp_serverAuth,
                new GeneralNames(sans));
    }

    /** A client certificate: CN is the user name, O the groups (as kube-apiserver reads them). */
    public Issued client(String fileName, String user, String... groups) {
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
        for (String group : groups) {
            subject.addRDN(BCStyle.O, group);
        }
        subject.addRDN(BCStyle.CN, user);
        return issue(fileName, subject.build(), KeyPurposeId.id_kp_clientAuth, null);
    }

    /** The identity the Node authorizer and NodeRestriction give a kubelet of that node. */
    public Issued node(String nodeName) {
        return client("node-" + nodeName, "system:node:" + nodeName, "system:nodes");
    }

    /** A TLS client context that trusts the CA certificate in this PEM file. */
    public static javax.net.ssl.SSLContext trusting(Path caPem) {
        try (var in = Files.newInputStream(caPem)) {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry(
                    "ca",
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
            javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + caPem, e);
        }
    }

    /** Where an issued certificate and its key were written. */
    public record Issued(Path cert, Path key) {}

    private synchronized Issued issue(String name, X500Name subject, KeyPurposeId purpose, GeneralNames sans) {
        try {
            KeyPair keys = rsaKeys();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            ca, serial(), notBefore(), notAfter(), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(
                            Extension.keyUsage,
                            true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (sans != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, sans);
            }
            X509Certificate cert = sign(builder, caKeys.getPrivate());
            return new Issued(writePem(name + ".crt", cert), writePem(name + ".key", keys.getPrivate()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a test certificate for " + subject, e);
        }
    }

    private Path writePem(String name, Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            // Keys as PKCS#8 ("PRIVATE KEY"): the form every client here reads, fabric8's included.
            pem.writeObject(object instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : object);
        }
        Path path = dir.resolve(name);
        Files.writeString(path, out.toString());
        return path;
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
    }

    private static KeyPair rsaKeys() throws GeneralSecurityException {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        return rsa.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(VALIDITY));
    }
}
