package io.gamewire.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Declares gamewire's exchanges and queues, durable, before any route starts.
 *
 * <ul>
 *   <li>{@code gamewire.events}: topic exchange every event is published to;</li>
 *   <li>per service {@code title.env.service}: a durable queue bound to {@code title.env.service.*}.</li>
 * </ul>
 *
 * <p>Queue arguments ({@code x-queue-type=quorum} and the like) come from configuration and are
 * empty on the embedded stack: the embedded broker closes the connection on any {@code x-*}
 * argument (docs/ARCHITECTURE.md, "One bus, two brokers").
 */
public final class BusTopology {

    private final RabbitAdmin admin;
    private final String exchange;
    private final String deadLetterExchange;
    private final Map<String, Object> queueArguments;

    public BusTopology(ConnectionFactory connectionFactory, String exchange, String deadLetterExchange,
                       Map<String, Object> queueArguments) {
        this.admin = new RabbitAdmin(connectionFactory);
        this.exchange = exchange;
        this.deadLetterExchange = deadLetterExchange;
        this.queueArguments = queueArguments;
    }

    /** Declares the events and dead-letter exchanges; safe to repeat. */
    public void declareExchanges() {
        admin.declareExchange(new TopicExchange(exchange, true, false));
        admin.declareExchange(new TopicExchange(deadLetterExchange, true, false));
    }

    /**
     * Declares, for every service, its queue bound to {@code service.*} on the events exchange and
     * its dead-letter queue {@code service.dlq} bound the same way on the dead-letter exchange;
     * safe to repeat.
     */
    public void declare(List<String> serviceKeys) {
        declareExchanges();
        TopicExchange events = new TopicExchange(exchange, true, false);
        TopicExchange deadLetters = new TopicExchange(deadLetterExchange, true, false);
        for (String serviceKey : serviceKeys) {
            Queue queue = new Queue(serviceKey, true, false, false, queueArguments);
            admin.declareQueue(queue);
            admin.declareBinding(BindingBuilder.bind(queue).to(events).with(serviceKey + ".*"));
            Queue deadLetterQueue = new Queue(deadLetterQueue(serviceKey), true, false, false, queueArguments);
            admin.declareQueue(deadLetterQueue);
            admin.declareBinding(BindingBuilder.bind(deadLetterQueue).to(deadLetters).with(serviceKey + ".*"));
        }
    }

    /** The dead-letter queue of a service. */
    public static String deadLetterQueue(String serviceKey) {
        return serviceKey + ".dlq";
    }

    /**
     * Parses {@code name=value,name=value} queue arguments; whole numbers become integers (as
     * RabbitMQ expects for {@code x-max-length} and the like), everything else stays a string.
     */
    public static Map<String, Object> parseArguments(String text) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("queue argument '" + entry.trim()
                        + "' is not name=value (gamewire.bus.queue-arguments)");
            }
            String value = entry.substring(eq + 1).trim();
            arguments.put(entry.substring(0, eq).trim(), value.matches("-?\\d{1,18}") ? (Object) Long.valueOf(value) : value);
        }
        return arguments;
    }
}
