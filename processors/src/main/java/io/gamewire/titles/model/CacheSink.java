package io.gamewire.titles.model;

import java.time.Duration;

/** The event's payload cached under {@code key} for {@code ttl}. */
public record CacheSink(KeyTemplate key, Duration ttl) {
}
