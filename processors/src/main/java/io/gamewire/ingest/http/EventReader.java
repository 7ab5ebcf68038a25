package io.gamewire.ingest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.ApiKeyDefinition.Access;
import io.gamewire.protocol.MessageIds;
import io.gamewire.sinks.EventView;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.sinks.sql.StoredEvent;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Answers {@code GET /v1/events/{messageId}}: from the cache, else from SQL (then filling the
 * cache), else 404; only to a bearer key that may query the event's title and environment.
 */
public class EventReader implements Processor {

    /** Stands for "some routing key" when only the key's existence is checked. */
    private static final RoutingKey ANY = RoutingKey.parse("any.any.any.any");

    private final ObjectMapper json;
    private final TitleRegistry titles;
    private final EventCache cache;
    private final SqlEventStore store;
    private final Duration cacheTtl;

    public EventReader(ObjectMapper json, TitleRegistry titles, EventCache cache, SqlEventStore store, Duration cacheTtl) {
        this.json = json;
        this.titles = titles;
        this.cache = cache;
        this.store = store;
        this.cacheTtl = cacheTtl;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String text = exchange.getMessage().getHeader("messageId", String.class);
        UUID id;
        try {
            id = MessageIds.parse(text);
        } catch (IllegalArgumentException e) {
            throw new RequestRefusedException(400, e.getMessage());
        }
        String presentedKey = BearerAuthorization.presentedKey(exchange);
        // an unknown caller learns nothing, not even whether the id exists
        BearerAuthorization.requireKnownKey(titles.keys(), presentedKey, ANY);
        Optional<byte[]> cached = cache.get(EventView.cacheKey(id));
        byte[] body;
        if (cached.isPresent()) {
            body = cached.get();
        } else {
            StoredEvent event = store.find(id).orElseThrow(
                    () -> new RequestRefusedException(404, "no event with message id " + id + " (an event of a"
                            + " command with event-row: false is kept only as its cached view, for"
                            + " gamewire.cache.event-ttl-seconds)"));
            body = EventView.toJson(json, event);
            cache.put(EventView.cacheKey(id), body, cacheTtl);
        }
        RoutingKey key = RoutingKey.parse(json.readTree(body).get("routingKey").asText());
        BearerAuthorization.require(titles.keys(), presentedKey, key, Access.QUERY);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body);
    }
}
