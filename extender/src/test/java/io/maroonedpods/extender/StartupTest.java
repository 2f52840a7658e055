package io.maroonedpods.extender;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.maroonedpods.extender.config.ConfigEdits;
import io.maroonedpods.extender.config.ExtenderConfig;
import io.maroonedpods.testcluster.TestCluster;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class StartupTest {
    @Test
    void anExtenderThatCannotListenFailsToStartNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                TestCluster api = TestCluster.start("team-a")) {
            ExtenderConfig config = ConfigEdits.port(ExtenderConfig.defaults(), taken.getLocalPort());
            assertThatThrownBy(() -> ExtenderServer.start(config, api.client()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (is the port in use?)");
        }
    }
}
