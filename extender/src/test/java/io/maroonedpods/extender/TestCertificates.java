package io.maroonedpods.extender;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Throwaway test PKI made at test time with the JDK's keytool (no private key is committed): a CA, a server
 * certificate for 127.0.0.1, and client certificates signed by that CA (the scheduler's, by CN and by SAN, and a
 * kubelet's) or by an unrelated one. Keys are written as
 * PEM, the form a Kubernetes TLS Secret has.
 */
public final class TestCertificates {
    private static final char[] PASSWORD = "test-only".toCharArray();

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    public static TestCertificates create(Path dir) throws Exception {
        TestCertificates pki = new TestCertificates(dir);
        pki.newCa("ca");
        pki.newCa("rogue-ca");
        pki.newSigned("server", "ca", "CN=127.0.0.1", "san=ip:127.0.0.1,dns:localhost");
        pki.newSigned("scheduler", "ca", "CN=maroon-scheduler", null);
        pki.newSigned("intruder", "rogue-ca", "CN=maroon-scheduler", null);
        pki.newSigned("kubelet", "ca", "CN=system:node:worker-1", null);
        pki.newSigned("scheduler-by-san", "ca", "CN=another-name", "san=dns:maroon-scheduler");
        pki.writePem("server");
        return pki;
    }

    public Path serverCert() {
        return dir.resolve("server-chain.pem");
    }

    public Path serverKey() {
        return dir.resolve("server-key.pem");
    }

    public Path caCert() {
        return dir.resolve("ca.crt");
    }

    /** A client context that trusts the CA and presents the named certificate (null: presents none). */
    public SSLContext clientContext(String identity) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", readCert(caCert()));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        if (identity == null) {
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(
                identity, privateKey(identity), PASSWORD, chain(identity).toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private void newCa(String name) throws Exception {
        keytool(
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + name,
                "-ext",
                "bc:c",
                "-validity",
                "2",
                "-keystore",
                store(name));
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", store(name), "-file", path(name + ".crt"));
    }

    private void newSigned(String name, String ca, String dname, String san) throws Exception {
        keytool(
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                dname,
                "-validity",
                "2",
                "-keystore",
                store(name));
        keytool("-certreq", "-alias", name, "-keystore", store(name), "-file", path(name + ".csr"));
        List<String> args = new ArrayList<>(List.of(
                "-gencert",
                "-rfc",
                "-alias",
                ca,
                "-keystore",
                store(ca),
                "-infile",
                path(name + ".csr"),
                "-outfile",
                path(name + ".crt"),
                "-validity",
                "2"));
        if (san != null) {
            args.addAll(List.of("-ext", san));
        }
        keytool(args.toArray(new String[0]));
        Files.writeString(dir.resolve(name + ".ca"), ca);
    }

    private void writePem(String name) throws Exception {
        Files.writeString(
                dir.resolve(name + "-chain.pem"),
                Files.readString(dir.resolve(name + ".crt"))
                        + Files.readString(dir.resolve(Files.readString(dir.resolve(name + ".ca")) + ".crt")));
        Files.writeString(
                dir.resolve(name + "-key.pem"),
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes())
                                .encodeToString(privateKey(name).getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
    }

    private PrivateKey privateKey(String name) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
            store.load(in, PASSWORD);
        }
        return (PrivateKey) store.getKey(name, PASSWORD);
    }

    private List<X509Certificate> chain(String name) throws Exception {
        String ca = Files.readString(dir.resolve(name + ".ca"));
        return List.of(readCert(dir.resolve(name + ".crt")), readCert(dir.resolve(ca + ".crt")));
    }

    private static X509Certificate readCert(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private String store(String name) {
        return path(name + ".p12");
    }

    private String path(String file) {
        return dir.resolve(file).toString();
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-noprompt"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
