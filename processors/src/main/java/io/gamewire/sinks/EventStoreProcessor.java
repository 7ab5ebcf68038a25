package io.gamewire.sinks;

import io.gamewire.camel.FutureProcessor;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.ReservedAttributes;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.protocol.camel.GwpHeaders;
import io.gamewire.sinks.sql.StoredEvent;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Stores one event from a service queue: hands it to the {@link SinkBatcher}, which writes it with
 * others in one transaction (its {@code events} row, its title table row) and then its KV record
 * and cache entries. The exchange completes when that is done, and only then is the message
 * acknowledged ({@link ManualAck}), so a crash in between redelivers it and the writes repeat
 * idempotently. No thread waits meanwhile.
 */
public class EventStoreProcessor extends FutureProcessor {

    private final SinkBatcher batcher;

    public EventStoreProcessor(SinkBatcher batcher) {
        this.batcher = batcher;
    }

    @Override
    protected CompletableFuture<?> start(Exchange exchange) {
        return batcher.submit(read(exchange.getMessage()));
    }

    /** The event from the headers the {@code gwp} data format set, and the payload in the body. */
    static StoredEvent read(Message message) {
        String id = required(message, GwpHeaders.MESSAGE_ID, "message id");
        // the routing key and content type are checked in event(), as for ConsumedEvents
        String key = message.getHeader(GwpHeaders.ROUTING_KEY, String.class);
        String contentType = message.getHeader(GwpHeaders.CONTENT_TYPE, String.class);
        long eventTime = message.getHeader(GwpHeaders.TIMESTAMP, Long.class);
        Map<?, ?> attributes = message.getHeader(GwpHeaders.ATTRIBUTES, Map.class);
        return event(MessageIds.parse(id), key, contentType, eventTime, strings(attributes),
                message.getBody(byte[].class));
    }

    /**
     * The event to store from an EVENT envelope's fields; taken as received when the envelope was
     * sent ({@link ReservedAttributes#RECEIVED_AT}, else its timestamp).
     */
    static StoredEvent event(java.util.UUID id, String key, String contentType, long eventTime,
                             Map<String, String> attributes, byte[] payload) {
        requireText(key, GwpHeaders.ROUTING_KEY, "routing key");
        requireText(contentType, GwpHeaders.CONTENT_TYPE, "content type");
        String receivedAt = attributes.get(ReservedAttributes.RECEIVED_AT);
        long received = receivedAt == null ? eventTime : Long.parseLong(receivedAt);
        return new StoredEvent(id, RoutingKey.parse(key), contentType, payload, eventTime, received, attributes);
    }

    /** The envelope's attributes as strings (the {@code gwp} data format gives a map of strings). */
    private static Map<String, String> strings(Map<?, ?> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return Map.of();
        }
        Map<String, String> strings = new java.util.HashMap<>();
        attributes.forEach((name, value) -> strings.put(String.valueOf(name), String.valueOf(value)));
        return strings;
    }

    private static String required(Message message, String header, String what) {
        return requireText(message.getHeader(header, String.class), header, what);
    }

    private static String requireText(String value, String header, String what) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("envelope has no " + what + " (" + header + ")");
        }
        return value;
    }
}
