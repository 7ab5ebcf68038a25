package io.gamewire.sinks;

import java.io.IOException;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acknowledgements of one consumer channel, sent as few at a time as is safe: a delivery that
 * is done is acked together with the done ones before it, in one {@code basic.ack} with
 * {@code multiple=true}, once every delivery before it is done too. A quorum queue writes every ack
 * frame it gets into its log; acked 50 at a time, the broker's CPU per drained message halved
 * (bench/README.md, "Acks in batches").
 *
 * <p>Why a multiple ack is safe here: a channel's deliveries are tagged 1, 2, 3, … in the order they
 * come, and the listener thread registers each one ({@link #register}) before anything else
 * happens to it. A multiple ack names a done delivery not acked yet (RabbitMQ closes the channel on
 * an unknown tag; Qpid Broker-J would ack every unacked message of the channel) below the lowest
 * unfinished one, so it covers only deliveries that are done. When a tag comes out of that order (a
 * channel used before for deliveries gamewire did not see, a delivery that neither the route nor
 * {@link ConsumedEvents} registered), a multiple ack could cover a delivery that nobody finished: the channel then acks one
 * delivery at a time for good.
 *
 * <p>Done deliveries above an unfinished one (behind a message retried with back-off, say) are
 * held, keeping their prefetch slots, but not for long: once more than {@code holdLimit} are held,
 * or after {@code releaseAfterMs} in which the lowest unfinished delivery stayed the same, they are
 * acked one by one, so a slow message never stalls its channel. What is kept is the unfinished
 * deliveries (at most the prefetch) and the held ones (at most {@code holdLimit} + 1). A requeue
 * ({@code basic.nack}) is always sent at once, alone.
 */
final class ChannelAcks {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelAcks.class);

    /** Where the acks go: the channel, or a recorder in tests. */
    interface Wire {
        void ack(long deliveryTag, boolean multiple) throws IOException;

        void requeue(long deliveryTag) throws IOException;
    }

    private final Wire wire;
    private final int holdLimit;
    private final ScheduledExecutorService timer;
    private final long releaseAfterMs;
    /** The last tag registered. */
    private long registered;
    /** Registered deliveries not done yet. */
    private final NavigableSet<Long> unfinished = new TreeSet<>();
    /** Done deliveries above the lowest unfinished one, not acked on the wire yet. */
    private final NavigableSet<Long> held = new TreeSet<>();
    /** The highest done delivery below every unfinished one that is not acked on the wire yet; 0 if none. */
    private long due;
    /** A tag came out of order: one ack per delivery from now on. */
    private boolean oneByOne;
    private boolean releaseScheduled;

    /**
     * @param holdLimit how many done deliveries may be held above an unfinished one before they are acked alone
     * @param timer runs the release of deliveries held for {@code releaseAfterMs} without progress
     */
    ChannelAcks(Wire wire, int holdLimit, ScheduledExecutorService timer, long releaseAfterMs) {
        this.wire = wire;
        this.holdLimit = Math.max(0, holdLimit);
        this.timer = timer;
        this.releaseAfterMs = releaseAfterMs;
    }

    /**
     * A delivery reached the consumer route; called in delivery order, on the listener thread. A
     * delivery registered already and not done (an event {@link ConsumedEvents} took and hands to
     * the route after its batch failed) is the same delivery: it stays where it is.
     *
     * @return false for such a delivery registered already
     */
    synchronized boolean register(long deliveryTag) {
        if (unfinished.contains(deliveryTag)) {
            return false;
        }
        if (!oneByOne && deliveryTag != registered + 1) {
            LOG.debug("Delivery {} after {}: this channel acks one delivery at a time from now on", deliveryTag,
                    registered);
            // what is due lies below the gap, so one multiple ack still covers only done deliveries
            flush();
            releaseHeld();
            oneByOne = true;
        }
        registered = Math.max(registered, deliveryTag);
        unfinished.add(deliveryTag); // kept one by one too, to know a delivery registered twice
        return true;
    }

    /**
     * A delivery is done and to be acked. Deferred, its ack waits for {@link #flush} (the end of a
     * batch's completions); otherwise what is due goes out now.
     */
    synchronized void succeeded(long deliveryTag, boolean deferred) {
        boolean known = unfinished.remove(deliveryTag);
        if (oneByOne || !known) {
            send(deliveryTag, false); // alone, as every ack once the channel's order is lost
            return;
        }
        if (unfinished.isEmpty() || deliveryTag < unfinished.first()) {
            due = Math.max(due, deliveryTag);
        } else {
            held.add(deliveryTag);
        }
        settle(deferred);
    }

    /** A delivery failed: requeued at once, alone. */
    synchronized void failed(long deliveryTag) {
        try {
            wire.requeue(deliveryTag);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not requeue message {}: {}; the broker will deliver it again", deliveryTag, e.toString());
        }
        if (unfinished.remove(deliveryTag) && !oneByOne) {
            settle(false);
        }
    }

    /** A delivery that failed where nothing may have settled it: requeued unless it is done already. */
    synchronized void failedIfUnfinished(long deliveryTag) {
        if (unfinished.contains(deliveryTag)) {
            failed(deliveryTag);
        }
    }

    /** Sends the ack that is due, if any: every done delivery up to it, in one frame. */
    synchronized void flush() {
        if (due > 0) {
            send(due, true);
            due = 0;
        }
    }

    /** The timer's check: what is still held while the same delivery is unfinished is acked alone. */
    synchronized void releaseIfStuck(long lowestUnfinishedBefore) {
        releaseScheduled = false;
        if (held.isEmpty()) {
            return;
        }
        if (lowestUnfinished() == lowestUnfinishedBefore) {
            releaseHeld();
        } else {
            scheduleRelease(); // progress meanwhile: look again later
        }
    }

    /** Held deliveries now below every unfinished one join what is due; then the hold is kept short. */
    private void settle(boolean deferred) {
        NavigableSet<Long> coverable = unfinished.isEmpty() ? held : held.headSet(unfinished.first(), false);
        if (!coverable.isEmpty()) {
            due = Math.max(due, coverable.last());
            coverable.clear();
        }
        if (!deferred) {
            flush();
        }
        if (held.size() > holdLimit) {
            releaseHeld();
        } else if (!held.isEmpty() && !releaseScheduled) {
            scheduleRelease();
        }
    }

    private void scheduleRelease() {
        long lowest = lowestUnfinished();
        try {
            timer.schedule(() -> releaseIfStuck(lowest), releaseAfterMs, TimeUnit.MILLISECONDS);
            releaseScheduled = true;
        } catch (RejectedExecutionException e) {
            releaseHeld(); // no timer: do not hold at all
        }
    }

    private long lowestUnfinished() {
        return unfinished.isEmpty() ? 0 : unfinished.first();
    }

    private void releaseHeld() {
        for (long deliveryTag : held) {
            send(deliveryTag, false);
        }
        held.clear();
    }

    private void send(long deliveryTag, boolean multiple) {
        try {
            wire.ack(deliveryTag, multiple);
        } catch (IOException | RuntimeException e) {
            // a closed channel: the broker has requeued what it had not got an ack for, and the
            // writes of a delivery that comes again are idempotent
            LOG.debug("Could not ack message {}: {}; the broker will deliver it again", deliveryTag, e.toString());
        }
    }
}
