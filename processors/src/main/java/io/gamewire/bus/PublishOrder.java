package io.gamewire.bus;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One source's publishes whose order the bus must keep: the events of one TCP connection, of one
 * HTTP batch, the items of one pull run. Every publish given the same order goes to the same lane of
 * {@link ConfirmingPublisher}, whose one thread publishes them on one channel in the order they were
 * handed over, so the broker receives and routes them in that order. {@link #NONE} keeps no order:
 * each publish takes the next lane.
 *
 * <p>{@link ConfirmingPublisher#openOrder()} gives a source the lane that the fewest open orders
 * share; {@link #close()} tells the publisher that the source ended, so that the next source is put
 * where the load is lightest. A closed order still publishes on its lane.
 */
public final class PublishOrder implements AutoCloseable {

    /** No order to keep (a single HTTP event, a console send): each publish takes the next lane. */
    public static final PublishOrder NONE = new PublishOrder(-1, null);

    private final int lane;
    private final Runnable release;
    private final AtomicBoolean open = new AtomicBoolean(true);

    PublishOrder(int lane, Runnable release) {
        this.lane = lane;
        this.release = release;
    }

    /** The lane this order publishes on, or -1 for {@link #NONE}. */
    public int lane() {
        return lane;
    }

    /** The source ended: its lane counts one open order less. Idempotent; {@link #NONE} ignores it. */
    @Override
    public void close() {
        if (release != null && open.compareAndSet(true, false)) {
            release.run();
        }
    }

    @Override
    public String toString() {
        return this == NONE ? "no order" : "order on lane " + lane;
    }
}
