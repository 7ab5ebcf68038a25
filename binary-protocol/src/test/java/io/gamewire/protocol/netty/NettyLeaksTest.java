package io.gamewire.protocol.netty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The leak check that the Netty tests rely on reports a real leak, so its silence means something. */
class NettyLeaksTest {

    @Test
    void anUnreleasedBufferIsReportedWithItsHint() {
        NettyLeaks.watch();
        NettyLeaks.collect();

        NettyLeaks.leakOneBuffer(NettyLeaks.EXPECTED_LEAK_HINT + "by NettyLeaksTest");

        assertThat(NettyLeaks.collect()).singleElement().asString().contains(NettyLeaks.EXPECTED_LEAK_HINT + "by NettyLeaksTest");
        assertThat(NettyLeaks.collect()).isEmpty();
    }
}
