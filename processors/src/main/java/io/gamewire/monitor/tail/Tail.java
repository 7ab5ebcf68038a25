package io.gamewire.monitor.tail;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import io.gamewire.routing.TopicPattern;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open tail: an AMQP connection of its own ({@code gamewire-tail}), on it a server-named,
 * exclusive, auto-delete, non-durable queue bound with the pattern to the events exchange (and, when
 * asked, to the dead-letter exchange), consumed with auto-ack into a {@link TailBuffer}. The broker
 * deletes the queue when the connection closes, so {@link #close()} (the client went away, the
 * limit was reached, gamewire stops) leaves nothing behind; if gamewire dies, the broker closes the
 * connection and deletes the queue too.
 *
 * <p>Auto-ack and not a prefetch, as for the bus monitor: a slow client must never leave messages
 * growing on the broker; what it cannot take is dropped here, counted, and told to it.
 */
public final class Tail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tail.class);

    private final Connection connection;
    private final TopicPattern pattern;
    private final boolean deadLetters;
    private final long limit;
    private final TailBuffer buffer;
    private final Runnable released;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String queue;
    private volatile Runnable onFrames = () -> { };

    Tail(Connection connection, TopicPattern pattern, boolean deadLetters, long limit, TailBuffer buffer,
         Runnable released) {
        this.connection = connection;
        this.pattern = pattern;
        this.deadLetters = deadLetters;
        this.limit = limit;
        this.buffer = buffer;
        this.released = released;
    }

    /** Declares and binds the queue and starts consuming into the buffer. */
    void start(String eventsExchange, String deadLetterExchange, TailEvents events) throws IOException {
        Channel channel = connection.createChannel();
        // server-named, not durable, exclusive to this connection, deleted with it
        String name = channel.queueDeclare("", false, true, true, null).getQueue();
        channel.queueBind(name, eventsExchange, pattern.toString());
        if (deadLetters) {
            channel.queueBind(name, deadLetterExchange, pattern.toString());
        }
        queue = name;
        // a broker that closes the connection (restart, forced close) ends the tail: the reader is
        // woken, finds it closed and ends the stream
        connection.addShutdownListener(cause -> {
            if (!closed.get()) {
                LOG.info("Tail {} ({}) lost its connection: {}", name, pattern, cause.getMessage());
            }
            close();
        });
        channel.basicConsume(name, true, (tag, delivery) -> received(delivery, deadLetterExchange, events), tag -> close());
    }

    private void received(Delivery delivery, String deadLetterExchange, TailEvents events) {
        boolean deadLetter = deadLetterExchange.equals(delivery.getEnvelope().getExchange());
        buffer.add(events.frame(deadLetter, delivery.getEnvelope().getRoutingKey(),
                delivery.getProperties().getMessageId(), delivery.getBody()));
        onFrames.run();
    }

    /** Called, on the consumer's thread, whenever a frame arrived or the tail closed; runs at once if some are waiting. */
    public void onFrames(Runnable listener) {
        onFrames = listener;
        if (!buffer.isEmpty() || closed.get()) {
            listener.run();
        }
    }

    /** Frames dropped since the last take, and the next frame to send (null: none waiting). */
    TailBuffer.Taken take() {
        return buffer.take();
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

    /** The broker-named queue. */
    public String queue() {
        return queue;
    }

    public boolean isOpen() {
        return !closed.get();
    }

    /** Frames waiting for the client now. */
    public int buffered() {
        return buffer.size();
    }

    /** Closes the connection, which deletes the queue; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (connection.isOpen()) {
                connection.close();
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Closing tail {}: {}", queue, e.toString());
        } finally {
            released.run();
            onFrames.run();
        }
    }
}
