package io.gamewire.monitor.tail;

import com.rabbitmq.client.Delivery;
import io.github.bucket4j.Bucket;
import io.gamewire.monitor.BusMonitor;
import io.gamewire.routing.TopicPattern;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open tail: a subscription to this instance's {@link BusMonitor} for the pattern on the events
 * exchange (and, when asked, on the dead-letter exchange), whose deliveries go into a
 * {@link TailBuffer}. The monitor's queue is bound with the pattern while the tail is open, so the
 * broker delivers each message once to this instance however many tails are open; the tail only
 * sees what its pattern matches, on the vhost of gamewire's own connection.
 *
 * <p>A tail shows at most {@code gamewire.ops.tail-max-rate} events a second (a token bucket, so
 * short bursts pass whole): a person cannot read more, and each event shown is decoded, redacted
 * and serialised. What arrives over the rate is not stored at all, only counted with what the
 * buffer drops, and told to the client in the next {@code event: dropped}; and the tail gives its
 * binding up for {@link #OVER_RATE_PAUSE} ({@link BusMonitor.Subscription#pause}), so that the
 * broker does not send this instance a busy pattern's every message for a few of them to be shown.
 * Events published during such a pause are neither shown nor counted: over its rate, a tail shows
 * a sample, a burst each second. The consumer's thread only
 * stores each admitted delivery as it came; decoding, redaction and the JSON are done by
 * {@link #frame} for the deliveries the client's side takes.
 *
 * <p>{@link #close()} (the client went away, the limit was reached, gamewire stops, the monitor
 * lost its connection) ends the subscription at once; the monitor unbinds the pattern on its own thread when no other tail or the
 * traffic counting asks for it. If gamewire dies, the broker deletes the monitor's queue with its
 * connection, so nothing is left behind.
 */
public final class Tail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tail.class);
    /** How long a tail over its rate gives its binding up: about what its bucket takes to refill. */
    static final Duration OVER_RATE_PAUSE = Duration.ofSeconds(1);

    private final TopicPattern pattern;
    private final boolean deadLetters;
    private final long limit;
    private final TailBuffer buffer;
    private final Bucket rate;
    private final TailEvents events;
    private final Runnable released;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile BusMonitor.Subscription subscription;
    private volatile String queue;
    private volatile Runnable onFrames = () -> { };

    /** @param rate admits the deliveries the tail shows; null for every one */
    Tail(TopicPattern pattern, boolean deadLetters, long limit, TailBuffer buffer, Bucket rate, TailEvents events,
         Runnable released) {
        this.pattern = pattern;
        this.deadLetters = deadLetters;
        this.limit = limit;
        this.buffer = buffer;
        this.rate = rate;
        this.events = events;
        this.released = released;
    }

    /** Subscribes to the monitor: from now on matching deliveries reach the buffer. */
    void start(BusMonitor monitor) throws IOException {
        if (!monitor.isListening()) {
            // bound now, it would only be bound once the monitor is back: a stream that shows nothing
            throw new IOException("the bus monitor is not connected to the broker now (it connects again by"
                    + " itself); try again shortly");
        }
        subscription = monitor.subscribe(pattern, BusMonitor.Exchanges.events(deadLetters), new BusMonitor.Subscriber() {
            @Override
            public void delivered(Delivery delivery, boolean deadLetter) {
                received(delivery, deadLetter);
            }

            @Override
            public void lost() {
                // what was published until the monitor is back cannot be shown or counted: the stream
                // ends, as it did when each tail had a connection of its own
                LOG.info("Tail of {} ends: the bus monitor lost its connection", pattern);
                close();
            }
        });
        // known once bound: the stream's opening comment names it, and from then on events are seen
        queue = monitor.queue();
        if (closed.get()) {
            subscription.close(); // closed while subscribing
        }
    }

    /** On the monitor's consumer thread: admitted by the rate, then stored as it came (see the class comment). */
    void received(Delivery delivery, boolean deadLetter) {
        if (rate != null && !rate.tryConsume(1)) {
            // no wake-up: the count goes to the client with the next event the rate admits
            buffer.skipped();
            BusMonitor.Subscription open = subscription;
            if (open != null) {
                open.pause(OVER_RATE_PAUSE);
            }
            return;
        }
        buffer.add(new TailDelivery(deadLetter, delivery.getEnvelope().getRoutingKey(),
                delivery.getProperties().getMessageId(), delivery.getBody()));
        onFrames.run();
    }

    /** Called, on the consumer's thread, whenever a delivery arrived or the tail closed; runs at once if some are waiting. */
    public void onFrames(Runnable listener) {
        onFrames = listener;
        if (!buffer.isEmpty() || closed.get()) {
            listener.run();
        }
    }

    /** Deliveries dropped since the last take, and the next delivery to send (null: none waiting). */
    TailBuffer.Taken take() {
        return buffer.take();
    }

    /** The SSE frame of a delivery taken: decoded, redacted and serialised only now, on the taker's thread. */
    String frame(TailDelivery delivery) {
        return events.frame(delivery.deadLetter(), delivery.routingKey(), delivery.messageId(), delivery.body());
    }

    public TopicPattern pattern() {
        return pattern;
    }

    public boolean deadLetters() {
        return deadLetters;
    }

    /** Message events after which the stream ends; 0 for none. */
    public long limit() {
        return limit;
    }

    /** The broker-named queue of the bus monitor, which carries this tail's binding. */
    public String queue() {
        return queue;
    }

    public boolean isOpen() {
        return !closed.get();
    }

    /** Deliveries waiting for the client now. */
    public int buffered() {
        return buffer.size();
    }

    /**
     * Ends the tail at once (it no longer counts against {@code gamewire.ops.max-tails}, its stream
     * ends, no delivery reaches it any more); idempotent, and it never waits for the broker: it is
     * called on the HTTP server's event loop.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            BusMonitor.Subscription open = subscription;
            if (open != null) {
                open.close();
            }
            LOG.debug("Closed tail {} ({})", queue, pattern);
        } finally {
            released.run();
            onFrames.run();
        }
    }
}
