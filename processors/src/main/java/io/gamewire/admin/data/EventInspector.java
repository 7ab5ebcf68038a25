package io.gamewire.admin.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamewire.config.PayloadJson;
import io.gamewire.sinks.EventView;
import io.gamewire.sinks.TitleSinks;
import io.gamewire.sinks.cache.EventCache;
import io.gamewire.sinks.kv.KvStore;
import io.gamewire.sinks.sql.RowUpserter;
import io.gamewire.sinks.sql.SqlEventStore;
import io.gamewire.sinks.sql.StoredEvent;
import io.gamewire.titles.PayloadRedaction;
import io.gamewire.titles.TitleRegistry;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * What a stored event is and what it left behind, for {@code GET /v1/admin/events/{id}} and
 * {@code compare}: its {@code events} row (routing key, attributes, payload, event/received/stored
 * times), or for an event without one its cached view while that lasts; and, for the sinks its
 * command declares, the title table's row under the event's key, the KV record and the cache entry
 * under the keys its templates give for this payload ({@link TitleSinks#plan}, the same
 * computation the consumer made). A row or record may have been
 * written by a newer event since: {@code sql.writtenByThisEvent} tells for the row.
 */
public final class EventInspector {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EventInspector.class);

    private final ObjectMapper json;
    private final SqlEventStore events;
    private final TitleSinks sinks;
    private final DataSource dataSource;
    private final KvStore kv;
    private final EventCache cache;
    private final PayloadRedaction redaction;
    private final TitleRegistry titles;
    private final StoredRecordRedaction records;

    public EventInspector(ObjectMapper json, SqlEventStore events, TitleSinks sinks, DataSource dataSource, KvStore kv,
                          EventCache cache, PayloadRedaction redaction, TitleRegistry titles) {
        this.json = json;
        this.redaction = redaction;
        this.titles = titles;
        this.records = new StoredRecordRedaction(json, titles, redaction);
        this.events = events;
        this.sinks = sinks;
        this.dataSource = dataSource;
        this.kv = kv;
        this.cache = cache;
    }

    /**
     * The stored event, if any: its {@code events} row, else its cached view (the only trace of an
     * event of a command with {@code event-row: false}, while it lasts), else empty.
     */
    public Optional<StoredEvent> event(UUID messageId) throws SQLException {
        Optional<StoredEvent> row = events.find(messageId);
        return row.isPresent() ? row : cachedView(messageId);
    }

    /**
     * The event's view, or empty when no event with this id is stored: from its {@code events} row
     * ({@code "from": "events"}), else from its cached view ({@code "from": "cachedView"}: no
     * {@code storedAt}, and of the attributes only {@code gw-source}, which is all the view keeps).
     */
    public Optional<ObjectNode> view(UUID messageId) throws SQLException {
        Optional<SqlEventStore.StoredRow> stored = events.findRow(messageId);
        if (stored.isPresent()) {
            return Optional.of(view(stored.get().event(), stored.get().storedAtMs()));
        }
        Optional<StoredEvent> cached = cachedView(messageId);
        return cached.isPresent() ? Optional.of(view(cached.get(), null)) : Optional.empty();
    }

    /**
     * The event back from the view {@code GET /v1/events/{id}} caches, when it is there. A cache that
     * fails, or a view that is not one, is logged and counts as no view: an id without an
     * {@code events} row stays a 404, as it was before views were read here, not a 500.
     */
    private Optional<StoredEvent> cachedView(UUID messageId) {
        try {
            return cache.get(EventView.cacheKey(messageId)).map(view -> EventView.fromJson(json, view));
        } catch (RuntimeException e) {
            LOG.warn("Event {} has no events row, and its cached view cannot be read ({}): it is shown as not found",
                    messageId, e.getMessage());
            return Optional.empty();
        }
    }

    private ObjectNode view(StoredEvent event, Long storedAtMs) throws SQLException {
        ObjectNode view = json.createObjectNode()
                .put("messageId", event.messageId().toString())
                .put("from", storedAtMs == null ? "cachedView" : "events")
                .put("routingKey", event.routingKey().toString())
                .put("contentType", event.contentType())
                .put("eventTime", Instant.ofEpochMilli(event.eventTimeMs()).toString())
                .put("receivedAt", Instant.ofEpochMilli(event.receivedAtMs()).toString());
        if (storedAtMs == null) {
            view.putNull("storedAt");
        } else {
            view.put("storedAt", Instant.ofEpochMilli(storedAtMs).toString());
        }
        view.set("attributes", json.valueToTree(PayloadRedaction.shownAttributes(event.attributes())));
        view.set("payload", shownPayload(event, event.payload(), event.contentType()));
        sinks(view, event);
        redactSinks(view, event);
        String viewKey = EventView.cacheKey(event.messageId());
        view.set("eventCache", json.createObjectNode().put("key", viewKey).put("present", cache.get(viewKey).isPresent()));
        return view;
    }

    private void sinks(ObjectNode view, StoredEvent event) throws SQLException {
        TitleSinks.Writes writes;
        try {
            writes = sinks.plan(event);
        } catch (IOException | RuntimeException e) {
            // the title changed since, or the payload cannot be planned: show the event without its sinks
            view.putNull("sql");
            view.putNull("kv");
            view.putNull("cache");
            view.put("sinksUnknown", e.getMessage());
            return;
        }
        view.set("sql", writes.table() == null ? json.nullNode() : row(writes.table(), writes.row(), event));
        if (writes.kvKey() == null) {
            view.putNull("kv");
        } else {
            ObjectNode record = json.createObjectNode().put("key", writes.kvKey());
            Map<String, String> fields = kv.get(writes.kvKey());
            record.put("found", !fields.isEmpty());
            record.set("fields", json.valueToTree(new java.util.TreeMap<>(fields)));
            view.set("kv", record);
        }
        if (writes.cacheKey() == null) {
            view.putNull("cache");
        } else {
            ObjectNode entry = json.createObjectNode().put("key", writes.cacheKey());
            Optional<byte[]> value = cache.get(writes.cacheKey());
            entry.put("found", value.isPresent());
            entry.set("value", value.map(bytes -> shownPayload(event, bytes, event.contentType())).orElse(json.nullNode()));
            view.set("cache", entry);
        }
    }

    /**
     * Masks, in the SQL row and the KV record shown, what was taken from redacted payload fields (the
     * payload and the cached copy are redacted as they are read): the row's columns that any command
     * in force fills from a redacted field ({@link RedactedColumns}: a table may be filled by several
     * commands), and the KV fields as {@code GET /v1/admin/kv} shows them ({@link StoredRecordRedaction}).
     * A command the titles in force no longer define masks them all: nothing says which are secret.
     */
    private void redactSinks(ObjectNode view, StoredEvent event) {
        boolean defined = redaction.redactedFields(event.routingKey().toString()).isPresent();
        if (view.path("sql").path("row").isObject()) {
            ObjectNode row = (ObjectNode) view.get("sql").get("row");
            String table = view.get("sql").path("table").asText();
            RedactedColumns columns = RedactedColumns.of(titles);
            for (String column : List.copyOf(iterable(row))) {
                if (!defined || columns.contains(table, column)) {
                    row.put(column, PayloadRedaction.MASK);
                }
            }
        }
        if (view.path("kv").path("fields").isObject()) {
            ObjectNode record = (ObjectNode) view.get("kv");
            ObjectNode fields = (ObjectNode) record.get("fields");
            if (defined) {
                Map<String, String> stored = new java.util.TreeMap<>();
                fields.fields().forEachRemaining(field -> stored.put(field.getKey(), field.getValue().asText()));
                record.set("fields", records.kvRecord(record.path("key").asText(), stored).get("fields"));
            } else {
                for (String field : List.copyOf(iterable(fields))) {
                    fields.put(field, PayloadRedaction.MASK);
                }
            }
        }
    }

    private static List<String> iterable(ObjectNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The title table's row under the event's key, with whether this event wrote it last. */
    private ObjectNode row(RowUpserter.Table table, RowUpserter.Row row, StoredEvent event) throws SQLException {
        ObjectNode sql = json.createObjectNode().put("table", table.name());
        ObjectNode key = sql.putObject("key");
        StringBuilder where = new StringBuilder();
        for (String column : table.keyColumns()) {
            key.set(column, json.valueToTree(row.values().get(column)));
            where.append(where.length() == 0 ? " WHERE " : " AND ").append(column).append(" = ?");
        }
        // table and column names come from validated title files ([a-z][a-z0-9_]{0,63}); values are bound
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT * FROM " + table.name() + where)) {
            List<String> keyColumns = table.keyColumns();
            for (int i = 0; i < keyColumns.size(); i++) {
                select.setObject(i + 1, row.values().get(keyColumns.get(i)));
            }
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    sql.putNull("row");
                    sql.put("writtenByThisEvent", false);
                    return sql;
                }
                ObjectNode found = sql.putObject("row");
                ResultSetMetaData meta = rows.getMetaData();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    found.set(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT),
                            json.valueToTree(SqlConsole.jsonValue(rows.getObject(i))));
                }
                sql.put("writtenByThisEvent", event.messageId().toString()
                        .equals(found.path(RowUpserter.MESSAGE_ID_COLUMN).asText()));
            }
        }
        return sql;
    }

    /**
     * A payload as {@link PayloadJson#shown} writes it, redacted by its command's schema
     * ({@link PayloadRedaction}); a payload that is not JSON is masked whole when its command marks
     * fields (or is not defined any more), since the marked fields could be anywhere in it.
     */
    private JsonNode shownPayload(StoredEvent event, byte[] bytes, String contentType) {
        return redaction.redact(event.routingKey().toString(), PayloadJson.shown(json, bytes, contentType));
    }
}
