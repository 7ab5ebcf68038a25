package io.gamewire.titles.model;

/**
 * A command of a service (the last part of the routing key), with its optional payload schema,
 * optional sinks (for events) and optional query (for requests).
 */
public record CommandDefinition(String name, String description, PayloadSchema schema, SqlSink sql, KvSink kv,
                                CacheSink cache, QuerySpec query) {
}
