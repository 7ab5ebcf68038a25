package io.gamewire.monitor;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import io.gamewire.bus.AmqpConnections;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's listener on the bus: a server-named, exclusive, auto-delete queue of its own,
 * bound to {@code #} on the events exchange and on the dead-letter exchange, consumed with
 * auto-ack on a connection of its own ({@code gamewire-monitor}). It only counts, per routing key
 * (labels bounded by {@link RoutingKeyLabels}): {@code gamewire_bus_messages_total} and
 * {@code gamewire_bus_bytes_total}, tagged {@code exchange} = {@code events} or
 * {@code dead-letters}. It never acks for anyone and never holds a message: the service queues
 * and their consumers do not see it. The queue goes away with the connection.
 *
 * <p>Why auto-ack and not a prefetch: queue arguments that cap a queue's length ({@code x-max-length})
 * are outside the AMQP subset the embedded broker accepts, and with manual acks a slow listener
 * would leave a growing queue on the broker. Counting a delivery takes microseconds, so the
 * listener keeps up with the broker's own delivery rate.
 */
public final class BusMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BusMonitor.class);

    private final ConnectionFactory factory;
    private final String eventsExchange;
    private final String deadLetterExchange;
    private final RoutingKeyLabels labels;
    private final MeterRegistry meters;
    private final Map<String, Counter[]> counters = new ConcurrentHashMap<>();
    private volatile Connection connection;
    private volatile String queue;

    public BusMonitor(ConnectionFactory factory, String eventsExchange, String deadLetterExchange,
                      RoutingKeyLabels labels, MeterRegistry meters) {
        this.factory = factory;
        this.eventsExchange = eventsExchange;
        this.deadLetterExchange = deadLetterExchange;
        this.labels = labels;
        this.meters = meters;
    }

    /** Declares and binds the listener's queue and starts consuming from it. */
    public void start() throws IOException {
        connection = AmqpConnections.open(factory, "gamewire-monitor");
        Channel channel = connection.createChannel();
        // server-named, not durable, exclusive to this connection, deleted with it
        String name = channel.queueDeclare("", false, true, true, null).getQueue();
        channel.queueBind(name, eventsExchange, "#");
        channel.queueBind(name, deadLetterExchange, "#");
        channel.basicConsume(name, true, (tag, delivery) -> seen(delivery), tag -> { });
        queue = name;
        LOG.info("Bus monitor listening on {} (bound to # on {} and {})", name, eventsExchange, deadLetterExchange);
    }

    /** The listener's queue, once started. */
    public String queue() {
        return queue;
    }

    private void seen(Delivery delivery) {
        String exchange = deadLetterExchange.equals(delivery.getEnvelope().getExchange()) ? "dead-letters" : "events";
        String label = labels.label(delivery.getEnvelope().getRoutingKey());
        Counter[] pair = counters.computeIfAbsent(exchange + '|' + label, key -> new Counter[] {
            Counter.builder("gamewire.bus.messages").description("messages seen on the bus by this instance's monitor")
                    .tag("exchange", exchange).tag("routing_key", label).register(meters),
            Counter.builder("gamewire.bus.bytes").description("message bytes seen on the bus by this instance's monitor")
                    .baseUnit("bytes").tag("exchange", exchange).tag("routing_key", label).register(meters)});
        pair[0].increment();
        pair[1].increment(delivery.getBody() == null ? 0 : delivery.getBody().length);
    }

    @Override
    public void close() {
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
