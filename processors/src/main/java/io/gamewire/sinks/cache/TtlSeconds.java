package io.gamewire.sinks.cache;

import java.time.Duration;

/** Cache TTLs in whole seconds, the unit memcached speaks; both caches round the same way. */
final class TtlSeconds {

    /** memcached reads a TTL above 30 days as an absolute Unix time; we never send one. */
    static final long MAX = 30L * 24 * 3600;

    private TtlSeconds() {
    }

    /** {@code ttl} rounded up to whole seconds, at least 1 and at most 30 days. */
    static int of(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("cache TTL must be positive, was " + ttl);
        }
        long seconds = ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0);
        return (int) Math.min(seconds, MAX);
    }
}
