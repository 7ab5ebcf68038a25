package io.gamewire.sinks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.ingest.BusHeaders;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.query.EventReader;
import io.gamewire.query.EventView;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.sinks.sql.StoredEvent;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;

/**
 * Stores one event from a service queue: the row in {@code events} (idempotent by message id),
 * then the cache entry. It returns only after both; the listener acknowledges the message after
 * that, so a crash in between redelivers it and the duplicate insert is a no-op.
 */
public class EventStoreProcessor implements Processor {

    private final ObjectMapper json;
    private final SqlEventStore store;
    private final EventCache cache;
    private final Duration cacheTtl;

    public EventStoreProcessor(ObjectMapper json, SqlEventStore store, EventCache cache, Duration cacheTtl) {
        this.json = json;
        this.store = store;
        this.cache = cache;
        this.cacheTtl = cacheTtl;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        StoredEvent event = read(exchange.getMessage());
        store.store(event);
        cache.put(EventReader.cacheKey(event.messageId()), EventView.toJson(json, event), cacheTtl);
    }

    static StoredEvent read(Message message) {
        String id = required(message, SpringRabbitMQConstants.MESSAGE_ID, "message id property");
        String key = required(message, SpringRabbitMQConstants.ROUTING_KEY, "routing key");
        String contentType = message.getHeader(SpringRabbitMQConstants.CONTENT_TYPE, "application/octet-stream",
                String.class);
        Long receivedAt = message.getHeader(BusHeaders.RECEIVED_AT, Long.class);
        long received = receivedAt != null ? receivedAt : System.currentTimeMillis();
        Long eventTime = message.getHeader(BusHeaders.EVENT_TIME, Long.class);
        byte[] payload = message.getBody(byte[].class);
        if (payload == null) {
            throw new IllegalArgumentException("message " + id + " has no body");
        }
        return new StoredEvent(MessageIds.parse(id), RoutingKey.parse(key), contentType, payload,
                eventTime != null ? eventTime : received, received);
    }

    private static String required(Message message, String header, String what) {
        String value = message.getHeader(header, String.class);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("AMQP message has no " + what + " (" + header + ")");
        }
        return value;
    }
}
