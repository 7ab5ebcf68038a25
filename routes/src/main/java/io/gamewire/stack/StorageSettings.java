package io.gamewire.stack;

import io.gamewire.config.Settings;
import io.gamewire.sinks.kv.RedisConnection;
import io.gamewire.tls.ClientTls;
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
        RedisConnection redisConnection,
        int redisTimeoutMs,
        String kvKeyPrefix,
        boolean memcached,
        int cacheMaxEntries,
        String memcachedServers,
        int memcachedTimeoutMs,
        String cacheKeyPrefix) {

    /** Whether the Redis of the KV store (and of the shared rate limits) is reached over TLS. */
    static final String REDIS_TLS = "gamewire.kv.redis.tls";

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
                redis ? redisConnection(settings) : null,
                redis ? settings.integer("gamewire.kv.redis.timeout-ms") : 0,
                settings.string("gamewire.kv.key-prefix"),
                memcached,
                memcached ? 0 : settings.integer("gamewire.cache.max-entries"),
                memcached ? settings.string("gamewire.cache.memcached.servers") : null,
                memcached ? settings.integer("gamewire.cache.memcached.timeout-ms") : 0,
                settings.string("gamewire.cache.key-prefix"));
    }

    /** The Redis of {@code gamewire.kv.redis.*}, over TLS with {@code gamewire.kv.redis.tls}. */
    private static RedisConnection redisConnection(Settings settings) {
        ClientTls tls = ClientTls.from(settings, REDIS_TLS, "Redis");
        return new RedisConnection(settings.string("gamewire.kv.redis.host"), settings.port("gamewire.kv.redis.port"),
                settings.string("gamewire.kv.redis.password"), tls == null ? null : tls.socketFactory(),
                tls == null ? null : tls.parameters());
    }
}
