package io.gamewire.ingest.tcp;

import io.gamewire.bus.PublishOrder;
import io.netty.channel.Channel;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The open GWP connections of this instance: enforces {@code gamewire.tcp.max-connections}, gives
 * each authenticated connection its publish order, tells every connection when the broker blocks or
 * unblocks publishers, and drains them all on shutdown.
 */
public final class TcpConnections {

    private final int maxConnections;
    private final Supplier<PublishOrder> orders;
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean brokerBlocked;
    private volatile boolean draining;

    /**
     * @param orders a new publish order for each authenticated connection
     *               ({@link io.gamewire.bus.ConfirmingPublisher#openOrder()}), closed when it closes
     */
    public TcpConnections(int maxConnections, Supplier<PublishOrder> orders) {
        this.maxConnections = maxConnections;
        this.orders = orders;
    }

    /** The publish order of a connection that just authenticated. */
    PublishOrder openOrder() {
        return orders.get();
    }

    /** Admits {@code channel} unless the limit is reached; an admitted channel leaves when it closes. */
    boolean tryOpen(Channel channel) {
        if (count.incrementAndGet() > maxConnections) {
            count.decrementAndGet();
            return false;
        }
        open.add(channel);
        channel.closeFuture().addListener(closed -> {
            open.remove(channel);
            count.decrementAndGet();
        });
        return true;
    }

    public int count() {
        return count.get();
    }

    public int maxConnections() {
        return maxConnections;
    }

    Collection<Channel> channels() {
        return List.copyOf(open);
    }

    boolean brokerBlocked() {
        return brokerBlocked;
    }

    boolean draining() {
        return draining;
    }

    /** The broker started or stopped blocking publishers: every connection re-decides whether to read. */
    public void brokerBlocked(boolean blocked) {
        brokerBlocked = blocked;
        refreshReading();
    }

    void startDraining() {
        draining = true;
        refreshReading();
    }

    /** Unanswered frames over all connections (the gauge {@code gamewire.tcp.frames.in_flight}). */
    public int inFlight() {
        int total = 0;
        for (Channel channel : open) {
            TcpSession session = channel.attr(TcpSession.KEY).get();
            total += session == null ? 0 : session.inFlight();
        }
        return total;
    }

    private void refreshReading() {
        for (Channel channel : channels()) {
            GwpSessionHandler handler = channel.pipeline().get(GwpSessionHandler.class);
            if (handler != null) {
                channel.eventLoop().execute(handler::updateReading);
            }
        }
    }
}
