package io.gamewire.sinks.cache;

import java.time.Duration;
import java.util.Optional;

/**
 * A read cache of byte values with a time to live, filled after the durable sinks committed.
 *
 * <p>Implementations: {@link CaffeineEventCache} (embedded, in-process) and
 * {@link MemcachedEventCache} (production, a memcached pool with consistent hashing). A cache
 * may forget anything at any time; callers fall back to the KV store or SQL.
 */
public interface EventCache extends AutoCloseable {

    /** Stores {@code value} under {@code key} for {@code ttl} (rounded up to whole seconds). */
    void put(String key, byte[] value, Duration ttl);

    /** The cached value, or empty on a miss. */
    Optional<byte[]> get(String key);

    /** Forgets {@code key}. */
    void invalidate(String key);

    /**
     * Checks that the cache answers.
     *
     * @throws CacheException when it does not
     */
    void ping();

    @Override
    void close();
}
