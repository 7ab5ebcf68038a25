package io.gamewire.sinks.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.Optional;

/** The embedded cache: Caffeine, bounded by entry count, with a TTL per entry. */
public class CaffeineEventCache implements EventCache {

    private record Entry(byte[] value, long ttlNanos) {
    }

    private final Cache<String, Entry> cache;

    public CaffeineEventCache(long maxEntries) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry entry, long currentTime) {
                        return entry.ttlNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
                        return entry.ttlNanos();
                    }

                    @Override
                    public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    @Override
    public void put(String key, byte[] value, Duration ttl) {
        cache.put(key, new Entry(value, TtlSeconds.of(ttl) * 1_000_000_000L));
    }

    @Override
    public Optional<byte[]> get(String key) {
        Entry entry = cache.getIfPresent(key);
        return entry == null ? Optional.empty() : Optional.of(entry.value());
    }

    @Override
    public void invalidate(String key) {
        cache.invalidate(key);
    }

    @Override
    public void ping() {
        // in-process: reachable while the JVM runs
    }

    @Override
    public void close() {
        cache.invalidateAll();
    }
}
