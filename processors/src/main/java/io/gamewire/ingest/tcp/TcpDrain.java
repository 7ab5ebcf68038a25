package io.gamewire.ingest.tcp;

import io.gamewire.camel.ContextStopping;
import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graceful shutdown of the TCP translator, when Camel starts stopping (before any route stops, so
 * that confirms and replies still flow): new connections are refused with ERROR 105, open ones stop
 * reading, what is in flight is answered (up to {@code gamewire.tcp.drain-timeout-ms}), then each
 * connection gets ERROR 105 and is closed. A client resends what it saw no ACK for, elsewhere.
 */
public final class TcpDrain extends ContextStopping {

    private static final Logger LOG = LoggerFactory.getLogger(TcpDrain.class);

    private final TcpConnections connections;
    private final long drainTimeoutMs;

    public TcpDrain(TcpConnections connections, long drainTimeoutMs) {
        this.connections = connections;
        this.drainTimeoutMs = drainTimeoutMs;
    }

    @Override
    protected void stopping() throws InterruptedException {
        int open = connections.count();
        connections.startDraining();
        if (open == 0) {
            return;
        }
        LOG.info("Draining {} GWP connection(s): answering {} frame(s) in flight", open, connections.inFlight());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainTimeoutMs);
        while (connections.inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        int unanswered = connections.inFlight();
        if (unanswered > 0) {
            LOG.warn("{} frame(s) still unanswered after {} ms (gamewire.tcp.drain-timeout-ms); their clients resend them",
                    unanswered, drainTimeoutMs);
        }
        for (Channel channel : connections.channels()) {
            GwpSessionHandler handler = channel.pipeline().get(GwpSessionHandler.class);
            if (handler != null) {
                channel.eventLoop().execute(handler::closeForShutdown);
            }
        }
    }
}
