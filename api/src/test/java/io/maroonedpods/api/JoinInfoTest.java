package io.maroonedpods.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JoinInfoTest {
    static final String UID = "0a1b2c3d-4e5f-6789-abcd-ef0123456789";
    static final JoinInfo VALID = new JoinInfo("https://10.0.0.1:6443", "K10abc::server:s3cret", UID,
            "maroonedpods.io", Names.nodeName(UID));

    @Test
    void rendersOneQuotedKeyPerLineInAFixedOrder() {
        assertThat(VALID.render()).isEqualTo("""
                # Written by MaroonedPods cloud-init; read by marooned-node-boot.sh
                server_url: "https://10.0.0.1:6443"
                token: "K10abc::server:s3cret"
                pod_uid: "0a1b2c3d-4e5f-6789-abcd-ef0123456789"
                taint_key: "maroonedpods.io"
                node_name: "maroon-0a1b2c3d-4e5f-6789-abcd-ef0123456789"
                """);
    }

    @Test
    void parseReadsWhatRenderWrites() {
        assertThat(JoinInfo.parse(VALID.render())).isEqualTo(VALID);
    }

    @Test
    void emptyPodUidMeansAPoolNode() {
        JoinInfo pool = new JoinInfo("https://k3s:6443", "t", "", "maroonedpods.io", "maroon-pool-abc12");
        assertThat(pool.isPoolNode()).isTrue();
        assertThat(pool.problems()).isEmpty();
    }

    @Test
    void problemsNameEachInvalidField() {
        JoinInfo bad = new JoinInfo("http://k3s:6443", " ", "not-a-uid", "Bad_Key", "Maroon");
        assertThat(bad.problems()).containsExactly(
                "server_url: must be an https:// URL with a host, got 'http://k3s:6443'",
                "token: missing",
                "pod_uid: must be a pod UID (lower-case UUID) or empty for a pool node, got 'not-a-uid'",
                "taint_key: must be a DNS subdomain such as maroonedpods.io, got 'Bad_Key'",
                "node_name: must be a DNS label of at most 63 characters, got 'Maroon'");
    }

    @Test
    void aQuoteInAValueIsRefusedWithoutEchoingTheToken() {
        JoinInfo bad = new JoinInfo("https://k3s:6443", "sec\"ret", UID, "maroonedpods.io", Names.nodeName(UID));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::render);
        assertThat(e.getMessage()).contains("token: must not contain quotes").doesNotContain("sec\"ret");
    }

    @Test
    void toStringNeverShowsTheToken() {
        assertThat(VALID.toString()).doesNotContain("s3cret").contains("<redacted>");
    }
}
