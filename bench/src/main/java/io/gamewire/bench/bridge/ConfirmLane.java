package io.gamewire.bench.bridge;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One connection's confirm channel, as the floor bridges publish on it: each publish waits for its
 * confirm in order of sequence number, and its {@link Outcome} is told on the connection's thread.
 * Publishes come from the bridges' event loops, under the lane's lock.
 */
public final class ConfirmLane {

    /** What a publish's confirm does: true when the broker took the message, false when it refused it. */
    public interface Outcome {
        void done(boolean confirmed);
    }

    private final Channel channel;
    private final String name;
    private final ConcurrentNavigableMap<Long, Outcome> unconfirmed = new ConcurrentSkipListMap<>();

    ConfirmLane(Channel channel, String name) throws IOException {
        this.channel = channel;
        this.name = name;
        channel.confirmSelect();
        channel.addConfirmListener((tag, multiple) -> settle(tag, multiple, true),
                (tag, multiple) -> settle(tag, multiple, false));
        // a closed channel confirms nothing more: what waits is refused, not left to time out
        channel.addShutdownListener(cause -> settle(Long.MAX_VALUE, true, false));
    }

    public void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body,
                        Outcome outcome) {
        // the sequence number and the publish under one lock, so that they match
        synchronized (this) {
            long sequence = channel.getNextPublishSeqNo();
            unconfirmed.put(sequence, outcome);
            try {
                channel.basicPublish(exchange, routingKey, properties, body);
            } catch (IOException | RuntimeException e) {
                if (unconfirmed.remove(sequence) != null) {
                    outcome.done(false);
                }
            }
        }
    }

    private void settle(long tag, boolean multiple, boolean confirmed) {
        if (multiple) {
            ConcurrentNavigableMap<Long, Outcome> settled = unconfirmed.headMap(tag, true);
            for (Long sequence : settled.keySet()) {
                Outcome outcome = settled.remove(sequence);
                if (outcome != null) {
                    done(outcome, confirmed);
                }
            }
        } else {
            Outcome outcome = unconfirmed.remove(tag);
            if (outcome != null) {
                done(outcome, confirmed);
            }
        }
    }

    /** One answer failing (a client gone) must not keep the others of a multiple confirm from theirs. */
    private void done(Outcome outcome, boolean confirmed) {
        try {
            outcome.done(confirmed);
        } catch (RuntimeException e) {
            System.err.println(name + ": an answer failed: " + e);
        }
    }
}
