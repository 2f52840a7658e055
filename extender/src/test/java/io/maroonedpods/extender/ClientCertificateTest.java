package io.maroonedpods.extender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.maroonedpods.api.Names;
import io.maroonedpods.extender.config.ConfigEdits;
import io.maroonedpods.extender.config.ExtenderConfig;
import io.maroonedpods.testcluster.TestCluster;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS with client-certificate verification: only a client holding a certificate from the configured CA that names an
 * allowed identity binds (issue 17: pointed at the cluster's client CA, every kubelet's certificate passed).
 */
class ClientCertificateTest {
    @TempDir
    static Path dir;

    static TestCertificates pki;
    static TestExtender extender;
    static String uid;
    static String node;

    @BeforeAll
    static void start() throws Exception {
        pki = TestCertificates.create(dir);
        TestCluster api = TestCluster.start("team-a");
        uid = api.client()
                .pods()
                .resource(Fixtures.apiPod("web", Fixtures.UID, Names.SCHEDULER_NAME))
                .create()
                .getMetadata()
                .getUid();
        node = Names.nodeName(uid);
        api.client().nodes().resource(Fixtures.verifiedApiNode(node, uid)).create();
        extender = TestExtender.start(
                api,
                config -> ConfigEdits.tls(
                        config,
                        new ExtenderConfig.Tls(
                                pki.serverCert().toString(),
                                pki.serverKey().toString(),
                                pki.caCert().toString(),
                                List.of("maroon-scheduler"))));
    }

    @AfterAll
    static void stop() {
        extender.close();
    }

    static ExtenderClient client(String identity) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().sslContext(pki.clientContext(identity)).build();
        return new ExtenderClient(http, "https://127.0.0.1:" + extender.server.port());
    }

    @Test
    void aClientWithoutACertificateCannotBindOrFilter() throws Exception {
        ExtenderClient anonymous = client(null);
        int bindingsBefore = extender.api.acceptedBindings().size();

        ExtenderClient.Reply bind = anonymous.post("/scheduler/bind", Fixtures.bindArgs("web", uid, node));
        assertEquals(403, bind.status());
        assertEquals("client certificate required: only the scheduler may call /scheduler/bind", bind.error());
        assertEquals(
                403,
                anonymous
                        .post("/scheduler/filter", Fixtures.namesArgs(Fixtures.maroonPodJson(), List.of(node)))
                        .status());
        assertEquals(bindingsBefore, extender.api.acceptedBindings().size());
        // Probes carry no certificate and must still work.
        assertEquals(200, anonymous.get("/livez").status());
        assertEquals(200, anonymous.get("/readyz").status());
    }

    @Test
    void aCertificateFromAnotherCaCannotBind() throws Exception {
        ExtenderClient intruder = client("intruder");
        int bindingsBefore = extender.api.acceptedBindings().size();

        // The server asks for certificates of its CA only, so the JDK client does not even offer this one.
        ExtenderClient.Reply reply = intruder.post("/scheduler/bind", Fixtures.bindArgs("web", uid, node));
        assertEquals(403, reply.status());
        assertEquals(bindingsBefore, extender.api.acceptedBindings().size());
    }

    @Test
    void aCertificateOfTheRightCaNamingAnotherIdentityIsRefusedInTheHandshake() throws Exception {
        ExtenderClient kubelet = client("kubelet");
        int bindingsBefore = extender.api.acceptedBindings().size();

        UncheckedIOException refused = assertThrows(
                UncheckedIOException.class, () -> kubelet.post("/scheduler/bind", Fixtures.bindArgs("web", uid, node)));
        assertThat(refused.getCause()).isInstanceOfAny(SSLException.class, SocketException.class);
        assertThrows(
                UncheckedIOException.class,
                () -> kubelet.post("/scheduler/filter", Fixtures.namesArgs(Fixtures.maroonPodJson(), List.of(node))));
        assertEquals(bindingsBefore, extender.api.acceptedBindings().size());
    }

    @Test
    void aCertificateNamingTheSchedulerInItsSubjectAlternativeNamePasses() throws Exception {
        ExtenderClient scheduler = client("scheduler-by-san");

        ExtenderClient.Reply reply =
                scheduler.post("/scheduler/filter", Fixtures.namesArgs(Fixtures.maroonPodJson(), List.of(node)));
        assertEquals(200, reply.status(), reply.body());
    }

    @Test
    void theSchedulerWithItsCertificateBinds() throws Exception {
        ExtenderClient scheduler = client("scheduler");

        ExtenderClient.Reply reply = scheduler.post("/scheduler/bind", Fixtures.bindArgs("web", uid, node));
        assertEquals(200, reply.status(), reply.body());
        assertEquals("", reply.error());
        assertEquals(List.of("team-a/web -> " + node), extender.api.acceptedBindings());
    }
}
