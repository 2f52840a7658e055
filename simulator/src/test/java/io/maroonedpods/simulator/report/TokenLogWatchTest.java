package io.maroonedpods.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class TokenLogWatchTest {
    static final String TOKEN = "K10abc::server:s3cret-for-the-log-test";

    @Test
    void aLogLineWithTheTokenPlainOrBase64IsCaughtAndNamedByItsLogger() {
        try (TokenLogWatch watch = TokenLogWatch.start(TOKEN)) {
            Logger.getLogger("io.maroonedpods.example.Quiet").warning("node maroon-x verified");
            Logger.getLogger("io.maroonedpods.example.Leaky").warning("joining with {0}");
            Logger.getLogger("io.maroonedpods.example.Leaky").log(java.util.logging.Level.WARNING, "token {0}", TOKEN);
            Logger.getLogger("io.maroonedpods.example.Encoded")
                    .warning("userdata " + Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8)));

            assertThat(watch.seen()).isGreaterThanOrEqualTo(4);
            assertThat(watch.leaks())
                    .containsExactly(
                            "log line of io.maroonedpods.example.Leaky", "log line of io.maroonedpods.example.Encoded");
        }
    }

    @Test
    void closingStopsWatching() {
        TokenLogWatch watch = TokenLogWatch.start(TOKEN);
        watch.close();
        Logger.getLogger("io.maroonedpods.example.Late").warning(TOKEN);
        assertThat(watch.leaks()).isEmpty();
    }
}
