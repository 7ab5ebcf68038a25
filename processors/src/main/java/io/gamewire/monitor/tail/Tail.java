package io.gamewire.monitor.tail;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Delivery;
import io.gamewire.routing.TopicPattern;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open tail: an AMQP connection of its own ({@code gamewire-tail}), on it a server-named,
 * exclusive, auto-delete, non-durable queue bound with the pattern to the events exchange (and, when
 * asked, to the dead-letter exchange), consumed with auto-ack into a {@link TailBuffer}. The consumer
 * only stores each delivery as it came; decoding, redaction and the JSON are done by {@link #frame}
 * for the deliveries the client's side takes, so however costly they are, the consumer keeps up
 * with the bus (amqp-client's work pool and the queue on the broker stay empty). The broker
 * deletes the queue when the connection closes, so {@link #close()} (the client went away, the
 * limit was reached, gamewire stops) leaves nothing behind; if gamewire dies, the broker closes the
 * connection and deletes the queue too.
 *
 * <p>Auto-ack and not a prefetch, as for the bus monitor: a slow client must never leave messages
 * growing on the broker; what it cannot take is dropped here, counted, and told to it.
 */
public final class Tail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tail.class);

    /** How long the closing thread waits for the broker's close-ok before it drops the socket. */
    static final int CLOSE_TIMEOUT_MILLIS = 5_000;

    private final Connection connection;
    private final TopicPattern pattern;
    private final boolean deadLetters;
    private final long limit;
    private final TailBuffer buffer;
    private final TailEvents events;
    private final Executor closer;
    private final Runnable released;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String queue;
    private volatile Runnable onFrames = () -> { };

    /**
     * @param closer where the connection is closed: {@link #close()} is called on the HTTP server's
     *               event loop, which must not wait for the broker
     */
    Tail(Connection connection, TopicPattern pattern, boolean deadLetters, long limit, TailBuffer buffer,
         TailEvents events, Executor closer, Runnable released) {
        this.connection = connection;
        this.pattern = pattern;
        this.deadLetters = deadLetters;
        this.limit = limit;
        this.buffer = buffer;
        this.events = events;
        this.closer = closer;
        this.released = released;
    }

    /** Declares and binds the queue and starts consuming into the buffer. */
    void start(String eventsExchange, String deadLetterExchange) throws IOException {
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
        channel.basicConsume(name, true, (tag, delivery) -> received(delivery, deadLetterExchange), tag -> close());
    }

    /** On the consumer's thread: stored as it came, nothing more (see the class comment). */
    void received(Delivery delivery, String deadLetterExchange) {
        buffer.add(new TailDelivery(deadLetterExchange.equals(delivery.getEnvelope().getExchange()),
                delivery.getEnvelope().getRoutingKey(), delivery.getProperties().getMessageId(), delivery.getBody()));
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

    /** The broker-named queue. */
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
     * ends) and closes its connection, which deletes the queue, on the closer's thread; idempotent.
     * Closing an AMQP connection waits for the broker's close-ok, and this is called on the HTTP
     * server's event loop, which serves ingest too: it must return without waiting.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            closer.execute(this::abortConnection);
        } catch (RejectedExecutionException e) {
            abortConnection(); // the closer has stopped (gamewire stops): nothing else waits on this thread
        } finally {
            released.run();
            onFrames.run();
        }
    }

    /**
     * An abort, not a close: it does not throw when the broker is gone or answers late, and a clean
     * close would gain nothing, since the queue is exclusive and auto-delete: the broker deletes it
     * when the connection ends, however it ends, and auto-ack leaves no message unacknowledged.
     */
    private void abortConnection() {
        if (connection.isOpen()) {
            connection.abort(CLOSE_TIMEOUT_MILLIS);
        }
        LOG.debug("Closed tail {} ({})", queue, pattern);
    }
}
