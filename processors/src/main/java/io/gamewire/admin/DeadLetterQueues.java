package io.gamewire.admin;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.gamewire.bus.BusMessages;
import io.gamewire.bus.ConfirmingPublisher;
import io.gamewire.bus.EventSource;
import io.gamewire.routing.BusTopology;
import io.gamewire.sinks.DeadLetters;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads and replays a service's dead-letter queue. AMQP has no browse: messages are taken with
 * {@code basic.get} without acknowledging them, on a connection of this call's own; closing it hands
 * every unacknowledged one back to the queue, in order, on both brokers. A replayed message is
 * published again to the events exchange under its routing key, confirmed, and only then
 * acknowledged (removed from the dead-letter queue).
 */
public final class DeadLetterQueues {

    /** One dead letter, as listed. */
    public record DeadLetter(String messageId, String routingKey, String reason, String exception, String attempts,
                             String firstFailure, String lastFailure, int bytes) {
    }

    private final ConnectionFactory factory;
    private final ConfirmingPublisher publisher;
    private final String eventsExchange;
    private final long confirmTimeoutMs;

    public DeadLetterQueues(ConnectionFactory factory, ConfirmingPublisher publisher, String eventsExchange,
                            long confirmTimeoutMs) {
        this.factory = factory;
        this.publisher = publisher;
        this.eventsExchange = eventsExchange;
        this.confirmTimeoutMs = confirmTimeoutMs;
    }

    /** Up to {@code limit} dead letters of the service, oldest first; the queue is left as it was. */
    public List<DeadLetter> list(String serviceKey, int limit) throws IOException, TimeoutException, InterruptedException {
        List<DeadLetter> letters = new ArrayList<>();
        try (Connection connection = factory.newConnection("gamewire-admin")) {
            Channel channel = connection.createChannel();
            takeUpTo(channel, BusTopology.deadLetterQueue(serviceKey), limit, message -> letters.add(describe(message)));
        } // closing the connection returns every message taken to the queue
        return letters;
    }

    /**
     * Publishes the selected dead letters again to the events exchange and removes them from the
     * dead-letter queue; {@code messageIds} empty means all (up to {@code limit}).
     *
     * @return the message ids replayed
     */
    public List<String> replay(String serviceKey, Set<String> messageIds, int limit)
            throws IOException, TimeoutException, InterruptedException {
        List<String> replayed = new ArrayList<>();
        try (Connection connection = factory.newConnection("gamewire-admin")) {
            requireServiceQueue(connection, serviceKey);
            Channel channel = connection.createChannel();
            takeUpTo(channel, BusTopology.deadLetterQueue(serviceKey), limit, message -> {
                String id = message.getProps().getMessageId();
                if (!messageIds.isEmpty() && !messageIds.contains(id)) {
                    return; // not acknowledged: back to the queue when the connection closes
                }
                AMQP.BasicProperties original = message.getProps();
                // the bytes go back unchanged (their gw-source attribute still names where the event first
                // came from); the header tells the bus monitor that this delivery is a replay
                AMQP.BasicProperties again = new AMQP.BasicProperties.Builder()
                        .contentType(original.getContentType()).deliveryMode(2).messageId(id)
                        .headers(Map.of(BusMessages.SOURCE_HEADER, EventSource.REPLAY.tag())).build();
                try {
                    publisher.publish(eventsExchange, message.getEnvelope().getRoutingKey(), again, message.getBody())
                            .get(confirmTimeoutMs, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    throw new IOException("replaying " + id + " was not confirmed: " + e.getCause().getMessage(), e);
                }
                channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
                replayed.add(id);
            });
        }
        return replayed;
    }

    /** What is done with each dead letter taken, unacknowledged, from its queue. */
    @FunctionalInterface
    private interface LetterAction {
        void take(GetResponse message) throws IOException, InterruptedException, TimeoutException;
    }

    /** Takes up to {@code limit} messages from {@code queue}, oldest first, without acknowledging them. */
    private static void takeUpTo(Channel channel, String queue, int limit, LetterAction action)
            throws IOException, InterruptedException, TimeoutException {
        for (int i = 0; i < limit; i++) {
            GetResponse message = channel.basicGet(queue, false);
            if (message == null) {
                return;
            }
            action.take(message);
        }
    }

    /**
     * A replay is published without {@code mandatory} and acked once confirmed: were the service
     * queue gone (deleted by hand), the broker would confirm and drop every replayed message. A
     * passive declare, on a channel of its own since a missing queue closes it, refuses that first.
     */
    private static void requireServiceQueue(Connection connection, String serviceKey) throws IOException {
        Channel check = connection.createChannel();
        try {
            check.queueDeclarePassive(serviceKey);
        } catch (IOException e) {
            throw new ServiceQueueMissingException("service queue " + serviceKey + " does not exist on the broker, so"
                    + " replayed messages would be dropped; nothing was replayed (a restart of gamewire declares it"
                    + " again)", e);
        }
        try {
            check.close();
        } catch (TimeoutException | IOException e) {
            // the connection closes it with the rest
        }
    }

    /** A replay refused because the service queue it would publish to is gone. */
    public static final class ServiceQueueMissingException extends IOException {
        ServiceQueueMissingException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static DeadLetter describe(GetResponse message) {
        Map<String, Object> headers = message.getProps().getHeaders() == null ? Map.of()
                : new LinkedHashMap<>(message.getProps().getHeaders());
        return new DeadLetter(message.getProps().getMessageId(), message.getEnvelope().getRoutingKey(),
                text(headers.get(DeadLetters.REASON)), text(headers.get(DeadLetters.EXCEPTION)),
                text(headers.get(DeadLetters.ATTEMPTS)), text(headers.get(DeadLetters.FIRST_FAILURE)),
                text(headers.get(DeadLetters.LAST_FAILURE)), message.getBody().length);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
