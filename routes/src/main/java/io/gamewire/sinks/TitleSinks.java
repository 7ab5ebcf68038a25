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
import io.gamewire.sinks.sql.RowUpserter;
import io.gamewire.titles.model.SqlSink;
import java.io.IOException;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an event to the sinks its command declares in the title file, after its row in
 * {@code events}: the table row (upserted by key, newest event wins: {@link RowUpserter}), then the
 * KV record gets only the fields present in the payload (a record gains fields over
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
    private final RowUpserter rows;

    public TitleSinks(ObjectMapper json, TitleRegistry titles, KvStore kv, EventCache cache, RowUpserter rows) {
        this.json = json;
        this.titles = titles;
        this.kv = kv;
        this.cache = cache;
        this.rows = rows;
    }

    /** Writes the event's table row, KV record and cache entry, as far as its command declares them. */
    public void write(StoredEvent event) throws IOException, SQLException {
        CommandDefinition command = titles.command(event.routingKey()).orElse(null);
        if (command == null || (command.sql() == null && command.kv() == null && command.cache() == null)) {
            return;
        }
        JsonNode payload = json.readTree(event.payload());
        if (command.sql() != null) {
            writeRow(command.sql(), event, payload);
        }
        if (command.kv() != null) {
            writeKv(command.kv(), event, payload);
        }
        if (command.cache() != null) {
            writeCache(command.cache(), event, payload);
        }
    }

    private void writeRow(SqlSink sink, StoredEvent event, JsonNode payload) throws SQLException {
        Map<String, Object> values = new HashMap<>();
        for (SqlSink.SqlColumn column : sink.columns().values()) {
            values.put(column.name(), value(column, column.from().read(payload)));
        }
        for (String key : sink.key()) {
            if (values.get(key) == null) {
                LOG.warn("Event {} ({}) not written to table {}: its key column {} ({}) is missing from the payload",
                        event.messageId(), event.routingKey(), sink.table(), key, sink.columns().get(key).from());
                return;
            }
        }
        List<String> others = sink.columns().keySet().stream().filter(column -> !sink.key().contains(column)).toList();
        rows.upsert(new RowUpserter.Table(sink.table(), sink.key(), others),
                List.of(new RowUpserter.Row(values, event.messageId().toString(), event.eventTimeMs())));
    }

    /** The payload value as its column's Java type; a value of the wrong kind can never be stored. */
    private static Object value(SqlSink.SqlColumn column, JsonNode value) {
        if (value == null) {
            return null;
        }
        return switch (column.type().base()) {
            case VARCHAR, TEXT -> value.isValueNode() ? value.asText() : value.toString();
            case INT, BIGINT -> {
                if (!value.canConvertToLong() || !value.isIntegralNumber()) {
                    throw new IllegalArgumentException("column " + column.name() + " (" + column.type().ddl()
                            + ") cannot take " + column.from() + " = " + value);
                }
                yield value.asLong();
            }
            case DOUBLE -> {
                if (!value.isNumber()) {
                    throw new IllegalArgumentException("column " + column.name() + " (DOUBLE) cannot take "
                            + column.from() + " = " + value);
                }
                yield value.asDouble();
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    throw new IllegalArgumentException("column " + column.name() + " (BOOLEAN) cannot take "
                            + column.from() + " = " + value);
                }
                yield value.asBoolean();
            }
        };
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
