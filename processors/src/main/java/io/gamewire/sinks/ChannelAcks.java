package io.gamewire.sinks;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
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
 * happens to it, so an ack of every delivery up to tag n covers only deliveries that are done. When
 * a tag comes out of that order (a channel used before for deliveries gamewire did not see, a
 * delivery that never reached the route), a multiple ack could cover a delivery that nobody
 * finished: the channel then acks one delivery at a time for good.
 *
 * <p>Done deliveries that wait behind one that is not (a message retried with back-off) keep their
 * prefetch slots; once more than {@code holdLimit} wait, they are acked one by one, so one slow
 * message never stalls its channel. A requeue ({@code basic.nack}) is always sent at once, alone.
 *
 * <p>Holds no reference to the channel (it is the key of a weak map in {@link ManualAck}): each
 * call is given the {@link Wire} to send on.
 */
final class ChannelAcks {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelAcks.class);

    /** Where the acks go: the channel, or a recorder in tests. */
    interface Wire {
        void ack(long deliveryTag, boolean multiple) throws IOException;

        void requeue(long deliveryTag) throws IOException;
    }

    private final int holdLimit;
    /** The last tag registered. */
    private long registered;
    /** Every tag up to this one is done: acked, due in {@link #due}, or requeued. */
    private long settled;
    /** The highest done tag up to {@link #settled} that is not acked on the wire yet; 0 if none. */
    private long due;
    /** A tag came out of order: one ack per delivery from now on. */
    private boolean oneByOne;
    /** Done tags above {@link #settled}: true while still to be acked, false once acked alone or requeued. */
    private final TreeMap<Long, Boolean> done = new TreeMap<>();

    /** @param holdLimit how many done deliveries may wait behind an unfinished one before they are acked alone */
    ChannelAcks(int holdLimit) {
        this.holdLimit = Math.max(0, holdLimit);
    }

    /** A delivery reached the consumer route; called in delivery order, on the listener thread. */
    synchronized void register(long deliveryTag, Wire wire) {
        if (!oneByOne && deliveryTag != registered + 1) {
            LOG.debug("Delivery {} after {}: this channel acks one delivery at a time from now on", deliveryTag,
                    registered);
            // what is due so far lies below the gap, so one multiple ack still covers only done deliveries
            flush(wire);
            for (Map.Entry<Long, Boolean> held : done.entrySet()) {
                if (held.getValue()) {
                    send(wire, held.getKey(), false);
                }
            }
            done.clear();
            oneByOne = true;
        }
        registered = Math.max(registered, deliveryTag);
    }

    /**
     * A delivery is done and to be acked. Deferred, its ack waits for {@link #flush} (the end of a
     * batch's completions); otherwise what is due goes out now.
     */
    synchronized void succeeded(long deliveryTag, Wire wire, boolean deferred) {
        if (oneByOne) {
            send(wire, deliveryTag, false);
            return;
        }
        done.put(deliveryTag, Boolean.TRUE);
        advance();
        if (!deferred) {
            flush(wire);
        }
        releaseHeld(wire);
    }

    /** A delivery failed: requeued at once, alone. */
    synchronized void failed(long deliveryTag, Wire wire) {
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
        flush(wire);
    }

    /** Sends the ack that is due, if any: every done delivery up to it, in one frame. */
    synchronized void flush(Wire wire) {
        if (due > 0) {
            send(wire, due, true);
            due = 0;
        }
    }

    private void advance() {
        while (!done.isEmpty() && done.firstKey() == settled + 1) {
            boolean toAck = done.pollFirstEntry().getValue();
            settled++;
            if (toAck) {
                due = settled;
            }
        }
    }

    private void releaseHeld(Wire wire) {
        if (done.size() <= holdLimit) {
            return;
        }
        for (Map.Entry<Long, Boolean> held : done.entrySet()) {
            if (held.getValue()) {
                send(wire, held.getKey(), false);
                held.setValue(Boolean.FALSE);
            }
        }
    }

    private static void send(Wire wire, long deliveryTag, boolean multiple) {
        try {
            wire.ack(deliveryTag, multiple);
        } catch (IOException | RuntimeException e) {
            // a closed channel: the broker has requeued what it had not got an ack for, and the
            // writes of a delivery that comes again are idempotent
            LOG.debug("Could not ack message {}: {}; the broker will deliver it again", deliveryTag, e.toString());
        }
    }
}
