package io.gamewire.titles.model;

/**
 * How a query command is answered: the KV record under {@code kv}, whose placeholders come from the
 * request's payload (e.g. {@code player:{payload.playerId}}).
 */
public record QuerySpec(KeyTemplate kv) {
}
