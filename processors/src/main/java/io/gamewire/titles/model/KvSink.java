package io.gamewire.titles.model;

import java.util.Map;

/** A sparse record in the KV store: under {@code key}, the named fields taken from the payload. */
public record KvSink(KeyTemplate key, Map<String, JsonPath> fields) {
}
