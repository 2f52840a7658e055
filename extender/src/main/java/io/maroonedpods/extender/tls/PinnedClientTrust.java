package io.maroonedpods.extender.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a client certificate only when the CA's own trust manager does (chain, validity, key usage) and the
 * certificate names an allowed identity ({@link ClientIdentity}). The refusal happens in the TLS handshake, so a
 * certificate of the right CA but the wrong identity (a kubelet's, when the CA is the cluster's client CA) never gets
 * to send an HTTP request at all.
 */
final class PinnedClientTrust extends X509ExtendedTrustManager {
    private static final Logger LOG = Logger.getLogger(PinnedClientTrust.class.getName());
    /** At most one log line per this many nanoseconds: a client retrying in a loop must not flood the log. */
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final X509ExtendedTrustManager ca;
    private final Set<String> allowed;
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

    PinnedClientTrust(X509ExtendedTrustManager ca, Set<String> allowed) {
        this.ca = ca;
        this.allowed = Set.copyOf(allowed);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        ca.checkClientTrusted(chain, authType, socket);
        checkIdentity(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        ca.checkClientTrusted(chain, authType, engine);
        checkIdentity(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        ca.checkClientTrusted(chain, authType);
        checkIdentity(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("the extender's server side checks client certificates only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("the extender's server side checks client certificates only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the extender's server side checks client certificates only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return ca.getAcceptedIssuers();
    }

    private void checkIdentity(X509Certificate[] chain) throws CertificateException {
        if (!ClientIdentity.isAllowed(chain[0], allowed)) {
            String refused = "client certificate refused: " + ClientIdentity.describe(chain[0])
                    + " is not in extender.tls.allowedClientNames";
            long now = System.nanoTime();
            long last = lastLogged.get();
            if (now - last >= LOG_INTERVAL_NANOS && lastLogged.compareAndSet(last, now)) {
                LOG.warning(refused);
            }
            throw new CertificateException(refused);
        }
    }
}
