package io.gamewire.monitor;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import io.gamewire.bus.AmqpConnections;
import io.gamewire.bus.BusMessages;
import io.gamewire.bus.EventSource;
import io.gamewire.camel.NamedThreads;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's listener on the bus: a server-named, exclusive, auto-delete queue of its own,
 * bound to {@code #} on the events exchange and on the dead-letter exchange, consumed with
 * auto-ack on a connection of its own ({@code gamewire-monitor}). It only counts, per routing key
 * (labels bounded by {@link RoutingKeyLabels}), through the {@link TrafficRecorder}: messages and
 * bytes by exchange and by source (the AMQP header {@code gw-source}, read without decoding the
 * frame) on {@code /observe/metrics}, and events, bytes and dead letters in the windowed
 * {@link TrafficStats}. It never acks for anyone and never holds a message: the service queues and
 * their consumers do not see it. The queue goes away with the connection, on which the
 * {@link QueueWatch} also opens its channel.
 *
 * <p>Why auto-ack and not a prefetch: queue arguments that cap a queue's length ({@code x-max-length})
 * are outside the AMQP subset the embedded broker accepts, and with manual acks a slow listener
 * would leave a growing queue on the broker. Counting a delivery takes microseconds, so the
 * listener keeps up with the broker's own delivery rate.
 *
 * <p>When the connection goes (a broker restart, a network cut, the broker closing it) it connects
 * again by itself, after 1 s, then doubling up to 30 s between tries, with a new queue: figures for
 * the time in between are missing, nothing else is. {@link #isListening()} says whether it is
 * connected now ({@code gamewire_bus_monitor_up}).
 */
public final class BusMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BusMonitor.class);
    private static final long RECONNECT_FIRST_MS = 1_000;
    private static final long RECONNECT_MAX_MS = 30_000;

    private final ConnectionFactory factory;
    private final String eventsExchange;
    private final String deadLetterExchange;
    private final TrafficRecorder recorder;
    private final ScheduledExecutorService reconnects;
    private volatile Connection connection;
    private volatile String queue;
    private volatile boolean closed;

    public BusMonitor(ConnectionFactory factory, String eventsExchange, String deadLetterExchange,
                      TrafficRecorder recorder, NamedThreads threads) {
        this.reconnects = Executors.newSingleThreadScheduledExecutor(threads.single("gamewire-monitor-reconnect"));
        this.factory = factory;
        this.eventsExchange = eventsExchange;
        this.deadLetterExchange = deadLetterExchange;
        this.recorder = recorder;
    }

    /** Declares and binds the listener's queue and starts consuming from it. */
    public void start() throws IOException {
        listen();
    }

    private synchronized void listen() throws IOException {
        if (closed) {
            return;
        }
        Connection opened = AmqpConnections.open(factory, "gamewire-monitor");
        try {
            listenOn(opened);
        } catch (IOException | RuntimeException e) {
            opened.abort();
            throw e;
        }
        connection = opened;
        // added once listening: a connection lost from now on is connected again
        opened.addShutdownListener(cause -> {
            if (!closed) {
                LOG.warn("Bus monitor lost its connection ({}); connecting again", cause.getMessage());
                reconnect(RECONNECT_FIRST_MS);
            }
        });
    }

    private void reconnect(long delayMs) {
        try {
            reconnects.schedule(() -> {
                try {
                    listen();
                } catch (IOException | RuntimeException e) {
                    long next = Math.min(delayMs * 2, RECONNECT_MAX_MS);
                    LOG.warn("Bus monitor could not connect again ({}); next try in {} ms", e.toString(), next);
                    reconnect(next);
                }
            }, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void listenOn(Connection opened) throws IOException {
        Channel channel = opened.createChannel();
        // server-named, not durable, exclusive to this connection, deleted with it
        String name = channel.queueDeclare("", false, true, true, null).getQueue();
        channel.queueBind(name, eventsExchange, "#");
        channel.queueBind(name, deadLetterExchange, "#");
        channel.basicConsume(name, true, (tag, delivery) -> seen(delivery), tag -> { });
        queue = name;
        LOG.info("Bus monitor listening on {} (bound to # on {} and {})", name, eventsExchange, deadLetterExchange);
    }

    /** Whether the monitor is connected and counting now. */
    public boolean isListening() {
        Connection open = connection;
        return !closed && open != null && open.isOpen();
    }

    /**
     * Drops the connection at once, as a broker restart would; the monitor then connects again by
     * itself. For operators' fault drills and the tests of the reconnection.
     */
    public void abortConnection() {
        Connection open = connection;
        if (open != null) {
            open.abort();
        }
    }

    /** The listener's queue, once started. */
    public String queue() {
        return queue;
    }

    /**
     * A new channel on the monitor's connection, for the queue watch's passive declares; null
     * before {@link #start()} or once the connection is gone.
     */
    public Channel openChannel() throws IOException {
        Connection open = connection;
        return open == null || !open.isOpen() ? null : open.createChannel();
    }

    private void seen(Delivery delivery) {
        boolean deadLetter = deadLetterExchange.equals(delivery.getEnvelope().getExchange());
        Map<String, Object> headers = delivery.getProperties().getHeaders();
        EventSource source = headers == null ? null : EventSource.of(headers.get(BusMessages.SOURCE_HEADER));
        recorder.busMessage(deadLetter, delivery.getProperties().getReplyTo() != null,
                delivery.getEnvelope().getRoutingKey(), source, delivery.getBody() == null ? 0 : delivery.getBody().length);
    }

    @Override
    public void close() {
        closed = true;
        reconnects.shutdownNow();
        Connection open = connection;
        if (open != null && open.isOpen()) {
            try {
                open.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("Closing the bus monitor's connection: {}", e.toString());
            }
        }
    }
}
