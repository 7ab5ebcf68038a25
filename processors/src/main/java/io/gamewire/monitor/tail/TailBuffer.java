package io.gamewire.monitor.tail;

import java.util.ArrayDeque;

/**
 * What one tail holds for its client: deliveries received from the bus and not yet written, raw (see
 * {@link TailDelivery}), at most {@code maxEvents} of them and {@code maxBytes} of bodies. The bound
 * is on what the consumer stores, not on what the client reads: the consumer's thread only stores,
 * so it keeps up with the bus whatever decoding and writing cost, and nothing backs up in
 * amqp-client's work pool or in the monitor's queue on the broker. A client slower than the bus (or a
 * decoder slower than the bus) loses the <em>oldest</em> deliveries: a live tail is for seeing what happens now, so when the client catches up
 * it should see the latest events, not ones from minutes ago; every delivery lost is counted, and the
 * count goes to the client as an {@code event: dropped} before the next event it gets, with those
 * the tail's rate did not admit ({@link #skipped()}).
 *
 * <p>Thread-safe: the AMQP consumer adds, the HTTP side takes.
 */
final class TailBuffer {

    private final int maxEvents;
    private final long maxBytes;
    private final ArrayDeque<TailDelivery> deliveries = new ArrayDeque<>();
    private long bytes;
    private long droppedSinceTaken;
    private long totalDropped;

    TailBuffer(int maxEvents, long maxBytes) {
        if (maxEvents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("a tail buffer holds at least one event and one byte, not "
                    + maxEvents + " events and " + maxBytes + " bytes");
        }
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    /**
     * Adds a delivery, dropping the oldest ones to stay within both limits (a delivery larger than
     * the byte limit on its own is dropped itself).
     *
     * @return whether the buffer was empty before, i.e. whether the reader may need waking
     */
    synchronized boolean add(TailDelivery delivery) {
        boolean wasEmpty = deliveries.isEmpty();
        long size = delivery.size();
        if (size > maxBytes) {
            dropped(1);
            return wasEmpty;
        }
        while (!deliveries.isEmpty() && (deliveries.size() >= maxEvents || bytes + size > maxBytes)) {
            bytes -= deliveries.removeFirst().size();
            dropped(1);
        }
        deliveries.addLast(delivery);
        bytes += size;
        return wasEmpty;
    }

    /** One delivery the tail's rate did not admit: never stored, counted with those dropped. */
    synchronized void skipped() {
        dropped(1);
    }

    /** What the reader takes at once: deliveries dropped since it last took, then the oldest one held (or null). */
    record Taken(long dropped, long totalDropped, TailDelivery delivery) {
    }

    /** The deliveries dropped since the last take (that count starts again) and the oldest delivery, or null. */
    synchronized Taken take() {
        long dropped = droppedSinceTaken;
        droppedSinceTaken = 0;
        TailDelivery delivery = deliveries.pollFirst();
        if (delivery != null) {
            bytes -= delivery.size();
        }
        return new Taken(dropped, totalDropped, delivery);
    }

    synchronized long totalDropped() {
        return totalDropped;
    }

    synchronized int size() {
        return deliveries.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized boolean isEmpty() {
        return deliveries.isEmpty() && droppedSinceTaken == 0;
    }

    private void dropped(long count) {
        droppedSinceTaken += count;
        totalDropped += count;
    }
}
