package io.gamewire.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.kv.KvStore;
import io.gamewire.sinks.sql.StoredEvent;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.CacheSink;
import io.gamewire.titles.model.CommandDefinition;
import io.gamewire.titles.model.JsonPath;
import io.gamewire.titles.model.KvSink;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an event to the KV and cache sinks its command declares in the title file, after the SQL
 * commit: the KV record gets only the fields present in the payload (a record gains fields over
 * time, last write wins per field), the cache entry is the payload with the declared TTL. Both are
 * idempotent, so a redelivered event writes the same again.
 *
 * <p>An event whose payload lacks a field its key template needs cannot be written to that sink:
 * that sink is skipped with a warning naming the field (the event itself is stored in SQL).
 */
public final class TitleSinks {

    private static final Logger LOG = LoggerFactory.getLogger(TitleSinks.class);

    private final ObjectMapper json;
    private final TitleRegistry titles;
    private final KvStore kv;
    private final EventCache cache;

    public TitleSinks(ObjectMapper json, TitleRegistry titles, KvStore kv, EventCache cache) {
        this.json = json;
        this.titles = titles;
        this.kv = kv;
        this.cache = cache;
    }

    /** Writes the event's KV record and cache entry, if its command declares them. */
    public void write(StoredEvent event) throws IOException {
        CommandDefinition command = titles.command(event.routingKey()).orElse(null);
        if (command == null || (command.kv() == null && command.cache() == null)) {
            return;
        }
        JsonNode payload = json.readTree(event.payload());
        if (command.kv() != null) {
            writeKv(command.kv(), event, payload);
        }
        if (command.cache() != null) {
            writeCache(command.cache(), event, payload);
        }
    }

    private void writeKv(KvSink sink, StoredEvent event, JsonNode payload) {
        String key = key(sink.key(), event, payload);
        if (key == null) {
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonPath> field : sink.fields().entrySet()) {
            JsonNode value = field.getValue().read(payload);
            if (value != null) {
                fields.put(field.getKey(), value.isValueNode() ? value.asText() : value.toString());
            }
        }
        if (!fields.isEmpty()) {
            kv.merge(key, fields);
        }
    }

    private void writeCache(CacheSink sink, StoredEvent event, JsonNode payload) {
        String key = key(sink.key(), event, payload);
        if (key != null) {
            cache.put(key, event.payload(), sink.ttl());
        }
    }

    private static String key(io.gamewire.titles.model.KeyTemplate template, StoredEvent event, JsonNode payload) {
        RoutingKey routingKey = event.routingKey();
        try {
            return template.render(routingKey, event.messageId().toString(), payload);
        } catch (IllegalArgumentException e) {
            LOG.warn("Event {} ({}) not written to the sink keyed {}: {}", event.messageId(), routingKey, template,
                    e.getMessage());
            return null;
        }
    }
}
