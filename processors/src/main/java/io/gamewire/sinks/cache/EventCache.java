package io.gamewire.sinks.cache;

import java.time.Duration;
import java.util.List;
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

    /** One entry to store, for {@link #putAll}. */
    record Entry(String key, byte[] value, Duration ttl) {
    }

    /**
     * Stores the entries, each as {@link #put} would, in as few round trips as the cache allows.
     * A cache may send them without waiting for each reply (memcached): a lost entry is a miss,
     * never lost data. Throws when the cache cannot be reached at all.
     */
    default void putAll(List<Entry> entries) {
        for (Entry entry : entries) {
            put(entry.key(), entry.value(), entry.ttl());
        }
    }

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
