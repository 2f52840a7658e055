package io.maroonedpods.extender.tls;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import io.maroonedpods.api.config.InvalidConfigException;
import io.maroonedpods.extender.config.ExtenderConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The server's TLS from the PEM files of a Kubernetes TLS Secret: its certificate chain and key and, when clients are
 * verified, a trust manager that accepts the client CA's certificates naming an allowed identity only
 * ({@link PinnedClientTrust}). Helidon's own trust configuration checks the CA alone, so the context is built here and
 * handed to Helidon whole.
 */
public final class ServerTls {
    /** Protects the in-memory key store only; it is never written anywhere. */
    private static final char[] IN_MEMORY = new char[0];

    private ServerTls() {}

    public static Tls of(ExtenderConfig.Tls settings) {
        try {
            Keys server = Keys.builder()
                    .pem(pem -> pem.key(Resource.create(Path.of(settings.keyFile())))
                            .certChain(Resource.create(Path.of(settings.certFile()))))
                    .build();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry(
                    "server",
                    server.privateKey()
                            .orElseThrow(() -> new IllegalArgumentException("no private key in " + settings.keyFile())),
                    IN_MEMORY,
                    server.certChain().toArray(new Certificate[0]));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, IN_MEMORY);

            SSLContext context = SSLContext.getInstance("TLS");
            TrustManager[] trust = settings.verifiesClients() ? new TrustManager[] {pinnedTrust(settings)} : null;
            context.init(keyManagers.getKeyManagers(), trust, null);
            var tls = Tls.builder().sslContext(context);
            if (settings.verifiesClients()) {
                // OPTIONAL, not REQUIRED: health probes connect without a certificate; the verbs refuse callers that
                // have none (VerbHandler), and a certificate naming no allowed identity fails the handshake.
                tls.clientAuth(TlsClientAuth.OPTIONAL)
                        // The JDK would otherwise match the client's IP against its certificate's names: a server
                        // checks who signed a client certificate and whom it names, not where it connects from.
                        .endpointIdentificationAlgorithm(Tls.ENDPOINT_IDENTIFICATION_NONE);
            }
            return tls.build();
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new InvalidConfigException(
                    List.of("extender.tls: cannot load the certificate, key or client CA (" + e.getMessage() + ")"));
        }
    }

    private static X509ExtendedTrustManager pinnedTrust(ExtenderConfig.Tls settings)
            throws GeneralSecurityException, IOException {
        List<X509Certificate> cas = Keys.builder()
                .pem(pem -> pem.certificates(Resource.create(Path.of(settings.clientCaFile()))))
                .build()
                .certs();
        if (cas.isEmpty()) {
            throw new IllegalArgumentException("no certificate in " + settings.clientCaFile());
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < cas.size(); i++) {
            store.setCertificateEntry("client-ca-" + i, cas.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager ca) {
                return new PinnedClientTrust(ca, Set.copyOf(settings.allowedClientNames()));
            }
        }
        throw new IllegalStateException("the JDK's PKIX trust manager factory made no X509 trust manager");
    }
}
