package io.maroonedpods.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JoinInfoTest {
    static final String UID = "0a1b2c3d-4e5f-6789-abcd-ef0123456789";
    static final String PASSWORD = "9f86d081884c7d659a2feaa0c55ad015";
    static final JoinInfo VALID = new JoinInfo(
            "https://10.0.0.1:6443", "abcdef.s3cret0123456789", UID, "maroonedpods.io", Names.nodeName(UID), PASSWORD);

    @Test
    void rendersOneQuotedKeyPerLineInAFixedOrder() {
        assertThat(VALID.render()).isEqualTo("""
                # Written by MaroonedPods cloud-init; read by marooned-node-boot.sh
                server_url: "https://10.0.0.1:6443"
                token: "abcdef.s3cret0123456789"
                pod_uid: "0a1b2c3d-4e5f-6789-abcd-ef0123456789"
                taint_key: "maroonedpods.io"
                node_name: "maroon-0a1b2c3d-4e5f-6789-abcd-ef0123456789"
                node_password: "9f86d081884c7d659a2feaa0c55ad015"
                """);
    }

    @Test
    void parseReadsWhatRenderWrites() {
        assertThat(JoinInfo.parse(VALID.render())).isEqualTo(VALID);
    }

    @Test
    void emptyPodUidMeansAPoolNode() {
        JoinInfo pool = new JoinInfo("https://k3s:6443", "t", "", "maroonedpods.io", "maroon-pool-abc12", PASSWORD);
        assertThat(pool.isPoolNode()).isTrue();
        assertThat(pool.problems()).isEmpty();
    }

    @Test
    void problemsNameEachInvalidField() {
        JoinInfo bad = new JoinInfo("http://k3s:6443", " ", "not-a-uid", "Bad_Key", "Maroon", "short");
        assertThat(bad.problems())
                .containsExactly(
                        "server_url: must be an https:// URL with a host, got 'http://k3s:6443'",
                        "token: missing",
                        "pod_uid: must be a pod UID (lower-case UUID) or empty for a pool node, got 'not-a-uid'",
                        "taint_key: must be a DNS subdomain such as maroonedpods.io, got 'Bad_Key'",
                        "node_name: must be a DNS label of at most 63 characters, got 'Maroon'",
                        "node_password: must be 16 to 128 printable characters without blanks");
    }

    @Test
    void aQuoteInAValueIsRefusedWithoutEchoingTheToken() {
        JoinInfo bad =
                new JoinInfo("https://k3s:6443", "sec\"ret", UID, "maroonedpods.io", Names.nodeName(UID), PASSWORD);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::render);
        assertThat(e.getMessage()).contains("token: must not contain quotes").doesNotContain("sec\"ret");
    }

    @Test
    void aNodePasswordIsRequired() {
        JoinInfo without = new JoinInfo("https://k3s:6443", "t", UID, "maroonedpods.io", Names.nodeName(UID), "");
        assertThat(without.problems()).containsExactly("node_password: missing");
        assertThat(JoinInfo.parse(VALID.render().replace("node_password", "other_key"))
                        .problems())
                .containsExactly("node_password: missing");
    }

    @Test
    void toStringNeverShowsTheCredentials() {
        assertThat(VALID.toString()).doesNotContain("s3cret", PASSWORD).contains("<redacted>");
    }
}
