package io.gamewire.sinks;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
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
 * happens to it, so an ack of every delivery up to tag n covers only deliveries that are done, and
 * n itself is always a delivery not acked yet (RabbitMQ closes the channel on an unknown tag; Qpid
 * Broker-J would ack every unacked message of the channel). When a tag comes out of that order (a
 * channel used before for deliveries gamewire did not see, a delivery that never reached the
 * route), a multiple ack could cover a delivery that nobody finished: the channel then acks one
 * delivery at a time for good.
 *
 * <p>Done deliveries that wait behind one that is not (a message retried with back-off) keep their
 * prefetch slots, so they do not wait long: once more than {@code holdLimit} wait, or after
 * {@code releaseAfterMs} without progress, they are acked one by one, and a slow message never
 * stalls its channel. If a delivery stays unfinished while more than {@code maxWaiting} after it
 * are done, the channel goes one by one for good, so what is kept stays bounded. A requeue
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
    private final int maxWaiting;
    private final ScheduledExecutorService timer;
    private final long releaseAfterMs;
    /** The last tag registered. */
    private long registered;
    /** Every tag up to this one is done: acked, due in {@link #due}, or requeued. */
    private long settled;
    /** The highest done tag up to {@link #settled} that is not acked on the wire yet; 0 if none. */
    private long due;
    /** A tag came out of order, or too many waited: one ack per delivery from now on. */
    private boolean oneByOne;
    /** Done tags above {@link #settled}: true while still to be acked, false once acked alone or requeued. */
    private final TreeMap<Long, Boolean> done = new TreeMap<>();
    /** The true entries of {@link #done}: done deliveries held back, not acked on the wire. */
    private int held;
    private boolean releaseScheduled;

    /**
     * @param holdLimit how many done deliveries may wait behind an unfinished one before they are acked alone
     * @param timer runs the release of deliveries held back for {@code releaseAfterMs} without progress
     */
    ChannelAcks(Wire wire, int holdLimit, ScheduledExecutorService timer, long releaseAfterMs) {
        this.wire = wire;
        this.holdLimit = Math.max(0, holdLimit);
        this.maxWaiting = Math.max(1024, 4 * this.holdLimit);
        this.timer = timer;
        this.releaseAfterMs = releaseAfterMs;
    }

    /** A delivery reached the consumer route; called in delivery order, on the listener thread. */
    synchronized void register(long deliveryTag) {
        if (!oneByOne && deliveryTag != registered + 1) {
            LOG.debug("Delivery {} after {}: this channel acks one delivery at a time from now on", deliveryTag,
                    registered);
            goOneByOne(); // what is due so far lies below the gap: one multiple ack still covers only done ones
        }
        registered = Math.max(registered, deliveryTag);
    }

    /**
     * A delivery is done and to be acked. Deferred, its ack waits for {@link #flush} (the end of a
     * batch's completions); otherwise what is due goes out now.
     */
    synchronized void succeeded(long deliveryTag, boolean deferred) {
        if (oneByOne) {
            send(deliveryTag, false);
            return;
        }
        done.put(deliveryTag, Boolean.TRUE);
        held++;
        advance();
        if (!deferred) {
            flush();
        }
        keepWaitingBounded();
    }

    /** A delivery failed: requeued at once, alone. */
    synchronized void failed(long deliveryTag) {
        try {
            wire.requeue(deliveryTag);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not requeue message {}: {}; the broker will deliver it again", deliveryTag, e.toString());
        }
        if (oneByOne) {
            return;
        }
        done.put(deliveryTag, Boolean.FALSE);
        advance();
        flush();
        keepWaitingBounded();
    }

    /** Sends the ack that is due, if any: every done delivery up to it, in one frame. */
    synchronized void flush() {
        if (due > 0) {
            send(due, true);
            due = 0;
        }
    }

    /** The timer's check: what is still held back after a time without progress is acked alone. */
    synchronized void releaseIfStuck(long settledBefore) {
        releaseScheduled = false;
        if (oneByOne || held == 0) {
            return;
        }
        if (settled == settledBefore) {
            releaseHeld();
        } else {
            keepWaitingBounded(); // progress meanwhile: look again later
        }
    }

    private void advance() {
        while (!done.isEmpty() && done.firstKey() == settled + 1) {
            boolean toAck = done.pollFirstEntry().getValue();
            settled++;
            if (toAck) {
                held--;
                due = settled;
            }
        }
    }

    private void keepWaitingBounded() {
        if (done.size() > maxWaiting) {
            LOG.debug("{} deliveries done behind delivery {}: this channel acks one at a time from now on",
                    done.size(), settled + 1);
            goOneByOne();
        } else if (held > holdLimit) {
            releaseHeld();
        } else if (held > 0 && !releaseScheduled) {
            releaseScheduled = true;
            long settledNow = settled;
            timer.schedule(() -> releaseIfStuck(settledNow), releaseAfterMs, TimeUnit.MILLISECONDS);
        }
    }

    private void releaseHeld() {
        for (Map.Entry<Long, Boolean> entry : done.entrySet()) {
            if (entry.getValue()) {
                send(entry.getKey(), false);
                entry.setValue(Boolean.FALSE);
            }
        }
        held = 0;
    }

    private void goOneByOne() {
        flush();
        releaseHeld();
        done.clear();
        oneByOne = true;
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
