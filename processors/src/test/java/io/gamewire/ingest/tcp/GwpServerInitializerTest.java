package io.gamewire.ingest.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.bus.PublishOrder;
import io.gamewire.ingest.TestTitles;
import io.gamewire.protocol.EnvelopeCodec;
import io.gamewire.protocol.ErrorCode;
import io.gamewire.protocol.ErrorFrame;
import io.gamewire.protocol.Frame;
import io.gamewire.protocol.GwpLimits;
import io.gamewire.protocol.netty.FailOnNettyLeaks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What a new connection's pipeline does before any of its bytes is read. */
// every Netty buffer tracked (PARANOID); a buffer the refusal leaks fails the class
@ExtendWith(FailOnNettyLeaks.class)
class GwpServerInitializerTest {

    private final TcpSettings settings = new TcpSettings(10, 4, 1000, 5000, 1024, 4096, 1000, GwpLimits.DEFAULTS);
    private final TcpConnections connections = new TcpConnections(10, () -> PublishOrder.NONE);

    private GwpServerInitializer initializer(Path dir) throws Exception {
        TcpEvents events = new TcpEvents((key, source, event) -> event,
                (admitted, order) -> new CompletableFuture<>(), new SimpleMeterRegistry());
        return new GwpServerInitializer(settings, null, connections, TestTitles.registry(dir), events,
                new LostAnswerLogging());
    }

    /** The one frame the server wrote, decoded; its buffer released. */
    private static Frame written(EmbeddedChannel channel) throws Exception {
        ByteBuf bytes = channel.readOutbound();
        assertThat(bytes).as("the server wrote a frame").isNotNull();
        try {
            return new EnvelopeCodec().decode(bytes.nioBuffer());
        } finally {
            bytes.release();
        }
    }

    @Test
    void aConnectionMadeWhileTheServerDrainsIsToldShuttingDownAtOnceAndClosed(@TempDir Path dir) throws Exception {
        connections.startDraining();

        // connecting is all the client did: no AUTH, no byte
        EmbeddedChannel channel = new EmbeddedChannel(initializer(dir));

        assertThat(written(channel)).isEqualTo(ErrorFrame.truncating(ErrorCode.SHUTTING_DOWN, ErrorFrame.CONNECTION,
                "the server is stopping; connect to another instance"));
        assertThat(channel.isOpen()).isFalse();
        assertThat(connections.count()).as("not counted as an open connection, so the drain does not wait for it")
                .isZero();
        assertThat(channel.config().isAutoRead()).as("nothing of it is read").isFalse();
        assertThat(channel.finish()).isFalse();
    }
}
