package io.gamewire.stack;

import io.gamewire.config.Settings;
import java.nio.file.Path;

/**
 * The settings of the stores ({@code gamewire.db.*}, {@code gamewire.kv.*}, {@code gamewire.cache.*}),
 * read once at start. The settings of the implementation not chosen are not read: an embedded KV
 * store does not need a valid Redis port.
 */
record StorageSettings(
        Path dataDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        int dbTimeoutMs,
        boolean redis,
        String redisHost,
        int redisPort,
        String redisPassword,
        int redisTimeoutMs,
        String kvKeyPrefix,
        boolean memcached,
        int cacheMaxEntries,
        String memcachedServers,
        int memcachedTimeoutMs,
        String cacheKeyPrefix) {

    static StorageSettings from(Settings settings) {
        boolean redis = settings.choice("gamewire.kv.type", "embedded", "redis").equals("redis");
        boolean memcached = settings.choice("gamewire.cache.type", "embedded", "memcached").equals("memcached");
        return new StorageSettings(
                Path.of(settings.string("gamewire.data-dir")),
                settings.string("gamewire.db.url"),
                settings.string("gamewire.db.user"),
                settings.string("gamewire.db.password"),
                settings.integer("gamewire.db.pool-size"),
                settings.integer("gamewire.db.timeout-ms"),
                redis,
                redis ? settings.string("gamewire.kv.redis.host") : null,
                redis ? settings.port("gamewire.kv.redis.port") : 0,
                redis ? settings.string("gamewire.kv.redis.password") : null,
                redis ? settings.integer("gamewire.kv.redis.timeout-ms") : 0,
                settings.string("gamewire.kv.key-prefix"),
                memcached,
                memcached ? 0 : settings.integer("gamewire.cache.max-entries"),
                memcached ? settings.string("gamewire.cache.memcached.servers") : null,
                memcached ? settings.integer("gamewire.cache.memcached.timeout-ms") : 0,
                settings.string("gamewire.cache.key-prefix"));
    }
}
