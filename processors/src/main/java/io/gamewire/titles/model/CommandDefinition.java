package io.gamewire.titles.model;

/**
 * A command of a service (the last part of the routing key), with its optional payload schema,
 * optional sinks (for events) and optional query (for requests).
 *
 * @param eventRow whether each event of the command also gets its row in {@code events} (the
 *                 title file's {@code event-row}, true unless set false): what
 *                 {@code GET /v1/events/{id}} answers from once the event's cached view has expired,
 *                 and what makes a message id name one event (docs/titles.md, "Commands")
 */
public record CommandDefinition(String name, String description, PayloadSchema schema, SqlSink sql, KvSink kv,
                                CacheSink cache, QuerySpec query, boolean eventRow) {

    /** Whether the command writes to a sink of its own: a table row, a KV record or a cache entry. */
    public boolean hasSinks() {
        return sql != null || kv != null || cache != null;
    }
}
