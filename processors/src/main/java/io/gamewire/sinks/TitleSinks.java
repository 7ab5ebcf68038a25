package io.gamewire.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gamewire.protocol.RoutingKey;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.kv.KvStore;
import io.gamewire.sinks.sql.StoredEvent;
import io.gamewire.titles.TitleRegistry;
import io.gamewire.titles.model.CommandDefinition;
import io.gamewire.titles.model.JsonPath;
import io.gamewire.titles.model.KvSink;
import io.gamewire.sinks.sql.RowUpserter;
import io.gamewire.titles.model.SqlSink;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Works out what an event writes to the sinks its command declares in the title file, before
 * anything is written ({@link #plan}): the table row (upserted by key, newest event wins:
 * {@link RowUpserter}), the KV record's fields present in the payload (a record gains fields over
 * time, last write wins per field) and the cache entry (the payload, with the declared TTL).
 * {@link SinkBatchWriter} writes the rows of many events in one transaction, then
 * {@link #writeAfterCommit} the KV record and cache entry, so neither ever shows data the database
 * does not have. All writes are idempotent, so a redelivered event writes the same again.
 *
 * <p>An event is written to every sink its command declares, or to none: {@link #plan} throws
 * rather than plan fewer writes. The command comes from {@link TitleRegistry#commandToStore}: while
 * the title is not in force as its file says, that throws {@link
 * io.gamewire.titles.TitleNotInForceException} (the event goes back to its queue); for a command no
 * title defines, {@link io.gamewire.titles.CommandNotDefinedException} (dead-lettered). A payload
 * that lacks a field a key needs, or has a value of the wrong type for its column, can never be
 * stored: {@link #plan} throws an {@link IllegalArgumentException} naming the field or column, and
 * the event is dead-lettered.
 */
public final class TitleSinks {

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

    /**
     * One event's writes: a table row, a KV merge and a cache entry, each null when not declared;
     * {@code payload} is the payload as parsed for them (null when the command declares none), kept
     * so that the event's cached view does not parse it again; {@code eventRow}, whether the event
     * gets its row in {@code events} (the command's {@code event-row}).
     */
    public record Writes(StoredEvent event, JsonNode payload, RowUpserter.Table table, RowUpserter.Row row,
                         String kvKey, Map<String, String> kvFields, String cacheKey, Duration cacheTtl,
                         boolean eventRow) {
    }

    /**
     * What the event writes: everything its command declares; nothing is written yet.
     *
     * @throws io.gamewire.titles.TitleNotInForceException its title is not in force as written yet
     * @throws IllegalArgumentException it can never be written as declared (an undefined command, a
     *         missing key field, a value its column cannot take)
     */
    public Writes plan(StoredEvent event) throws IOException {
        CommandDefinition command = titles.commandToStore(event.routingKey());
        if (!command.hasSinks()) {
            return new Writes(event, null, null, null, null, null, null, null, true);
        }
        JsonNode payload = json.readTree(event.payload());
        RowUpserter.Table table = null;
        RowUpserter.Row row = null;
        if (command.sql() != null) {
            SqlSink sink = command.sql();
            row = row(sink, event, payload);
            List<String> others = sink.columns().keySet().stream()
                    .filter(column -> !sink.key().contains(column)).toList();
            table = new RowUpserter.Table(sink.table(), sink.key(), others);
        }
        String kvKey = null;
        Map<String, String> kvFields = null;
        if (command.kv() != null) {
            kvKey = key(command.kv().key(), event, payload);
            kvFields = kvFields(command.kv(), payload);
        }
        String cacheKey = command.cache() == null ? null : key(command.cache().key(), event, payload);
        return new Writes(event, payload, table, row, kvKey, kvFields, cacheKey,
                cacheKey == null ? null : command.cache().ttl(), command.eventRow());
    }

    /**
     * Writes the events' KV records (one pipeline) and cache entries (one batch); called once their
     * rows are committed.
     */
    public void writeAfterCommit(List<Writes> committed) {
        List<KvStore.Merge> merges = new ArrayList<>();
        List<EventCache.Entry> entries = new ArrayList<>();
        for (Writes writes : committed) {
            if (writes.kvKey() != null && !writes.kvFields().isEmpty()) {
                merges.add(new KvStore.Merge(writes.kvKey(), writes.kvFields()));
            }
            if (writes.cacheKey() != null) {
                entries.add(new EventCache.Entry(writes.cacheKey(), writes.event().payload(), writes.cacheTtl()));
            }
        }
        kv.mergeAll(merges);
        cache.putAll(entries);
    }

    private static RowUpserter.Row row(SqlSink sink, StoredEvent event, JsonNode payload) {
        Map<String, Object> values = new HashMap<>();
        for (SqlSink.SqlColumn column : sink.columns().values()) {
            values.put(column.name(), value(column, column.from().read(payload)));
        }
        for (String key : sink.key()) {
            if (values.get(key) == null) {
                throw new IllegalArgumentException("event " + event.messageId() + " (" + event.routingKey()
                        + ") cannot be written to table " + sink.table() + ": its key column " + key + " needs "
                        + sink.columns().get(key).from() + ", which the payload lacks");
            }
        }
        return new RowUpserter.Row(values, event.messageId().toString(), event.eventTimeMs());
    }

    /** The payload value as its column's Java type; a value of the wrong kind can never be stored. */
    private static Object value(SqlSink.SqlColumn column, JsonNode value) {
        try {
            return column.type().value(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("column " + column.name() + " (" + column.type().ddl()
                    + ") cannot take " + column.from() + " = " + value, e);
        }
    }

    private static Map<String, String> kvFields(KvSink sink, JsonNode payload) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonPath> field : sink.fields().entrySet()) {
            JsonNode value = field.getValue().read(payload);
            if (value != null) {
                fields.put(field.getKey(), value.isValueNode() ? value.asText() : value.toString());
            }
        }
        return fields;
    }

    private static String key(io.gamewire.titles.model.KeyTemplate template, StoredEvent event, JsonNode payload) {
        RoutingKey routingKey = event.routingKey();
        try {
            return template.render(routingKey, event.messageId().toString(), payload);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("event " + event.messageId() + " (" + routingKey
                    + ") cannot be written to the sink keyed " + template + ": " + e.getMessage(), e);
        }
    }
}
