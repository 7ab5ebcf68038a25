package io.gamewire.sinks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.protocol.MessageIds;
import io.gamewire.protocol.ReservedAttributes;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.protocol.camel.GwpHeaders;
import io.gamewire.query.EventReader;
import io.gamewire.query.EventView;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.sinks.sql.StoredEvent;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Stores one event from a service queue: the row in {@code events} (idempotent by message id),
 * then the KV record and cache entry its title file declares ({@link TitleSinks}), then the
 * event's own cache entry. It returns only after both; the listener acknowledges the message after
 * that, so a crash in between redelivers it and the duplicate insert is a no-op.
 */
public class EventStoreProcessor implements Processor {

    private final ObjectMapper json;
    private final SqlEventStore store;
    private final EventCache cache;
    private final Duration cacheTtl;
    private final TitleSinks titleSinks;

    public EventStoreProcessor(ObjectMapper json, SqlEventStore store, EventCache cache, Duration cacheTtl,
                               TitleSinks titleSinks) {
        this.json = json;
        this.store = store;
        this.cache = cache;
        this.cacheTtl = cacheTtl;
        this.titleSinks = titleSinks;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        StoredEvent event = read(exchange.getMessage());
        store.store(event);
        titleSinks.write(event);
        cache.put(EventReader.cacheKey(event.messageId()), EventView.toJson(json, event), cacheTtl);
    }

    /** The event from the headers the {@code gwp} data format set, and the payload in the body. */
    static StoredEvent read(Message message) {
        String id = required(message, GwpHeaders.MESSAGE_ID, "message id");
        String key = required(message, GwpHeaders.ROUTING_KEY, "routing key");
        String contentType = required(message, GwpHeaders.CONTENT_TYPE, "content type");
        long eventTime = message.getHeader(GwpHeaders.TIMESTAMP, Long.class);
        Map<?, ?> attributes = message.getHeader(GwpHeaders.ATTRIBUTES, Map.class);
        Object receivedAt = attributes == null ? null : attributes.get(ReservedAttributes.RECEIVED_AT);
        long received = receivedAt == null ? eventTime : Long.parseLong(receivedAt.toString());
        byte[] payload = message.getBody(byte[].class);
        return new StoredEvent(MessageIds.parse(id), RoutingKey.parse(key), contentType, payload, eventTime, received);
    }

    private static String required(Message message, String header, String what) {
        String value = message.getHeader(header, String.class);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("envelope has no " + what + " (" + header + ")");
        }
        return value;
    }
}
