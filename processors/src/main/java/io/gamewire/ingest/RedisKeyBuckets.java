package io.gamewire.ingest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gamewire.sinks.kv.RedisConnection;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.distributed.serialization.Mapper;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import java.time.Duration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

/**
 * The keys' buckets in Redis, one per key shared by every gamewire instance that uses the same
 * Redis and key prefix: Bucket4j's {@link ProxyManager} over Jedis (compare-and-swap in a Lua script),
 * so N instances together admit a key's rate, not N times it.
 *
 * <p><b>Redis keys.</b> {@code <prefix>rate-limit:<title>/<key name>:<rate>}. The rate is part of the
 * name: a reloaded title file with a new rate takes a new bucket at once, and instances that have
 * not reloaded yet keep the old one until they do. (Bucket4j's configuration replacement would need
 * a version that grows across the whole cluster, which title files do not have: two instances
 * reloading at different moments would replace each other's configuration back and forth.) A key
 * expires once its bucket would be full again, plus a second, so Redis holds only busy keys.
 *
 * <p><b>Cost.</b> Asking Redis for every event would cost a round trip each (two: Bucket4j reads,
 * then swaps). Bucket4j's delaying optimization takes tokens from a local copy of the bucket and
 * writes what it took to Redis after a tenth of the rate ({@link #SYNC_SHARE_DIVISOR}) or {@link #SYNC_EVERY},
 * whichever comes first; refusals from an empty copy cost no round trip either. Instances may so
 * together take a little more than the rate for an instant (up to a tenth of it each), which the
 * shared bucket then owes and refuses back: over a second the key still gets its rate. Measured by
 * {@code KeyRateLimitsCostTest} on one thread, on this project's 2 shared cores (5 runs, busy machine):
 * local buckets 106,000–524,000 tokens/s, these 54,000–242,000, Redis asked per token 700–4,700
 * (these 50–110 times that); refusals over a key's limit 40,000–1,900,000 attempts/s.
 *
 * <p>It has a connection pool of its own (the KV store's address, password and key prefix), with
 * short timeouts: ingest waits for it, on the TCP connections' event loops too, so a Redis that
 * stops answering must not hold events for the KV store's timeout. {@link KeyRateLimits} falls
 * back to local buckets when Redis fails.
 */
public final class RedisKeyBuckets implements SharedKeyBuckets {

    /** Between the deployment's key prefix and the API key. */
    public static final String KEY_PART = "rate-limit:";
    /** An instance writes its tokens to Redis once it has taken this share of the rate locally. */
    static final int SYNC_SHARE_DIVISOR = 10;
    /** … or this long after its last write, whichever comes first. */
    static final Duration SYNC_EVERY = Duration.ofMillis(100);
    /** Connections at most: the ingest threads that may wait for Redis at once. */
    private static final int MAX_CONNECTIONS = 16;

    private final UnifiedJedis redis;
    private final String address;
    private final String keyPrefix;
    private final ProxyManager<String> proxies;
    private final Cache<String, BucketProxy> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(1))
            .executor(Runnable::run)
            .build();

    /**
     * @param redis     owned: closed by {@link #close()}
     * @param address   {@code host:port}, with " (TLS)" over TLS, for messages
     * @param keyPrefix the deployment's ({@code gamewire.kv.key-prefix}); may be empty
     */
    RedisKeyBuckets(UnifiedJedis redis, String address, String keyPrefix) {
        this.redis = redis;
        this.address = address;
        this.keyPrefix = keyPrefix == null ? "" : keyPrefix;
        this.proxies = Bucket4jJedis.casBasedBuilder(redis)
                .keyMapper(Mapper.STRING)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(1)))
                .build();
    }

    /**
     * Buckets in the Redis {@code connection} names (plaintext or TLS).
     *
     * @param timeoutMs how long a connect, a command or a wait for a pooled connection may take
     */
    public static RedisKeyBuckets connect(RedisConnection connection, int timeoutMs, String keyPrefix) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(MAX_CONNECTIONS);
        pool.setMaxIdle(MAX_CONNECTIONS);
        // the pool's default is to wait for a free connection for ever
        pool.setMaxWait(Duration.ofMillis(timeoutMs));
        return new RedisKeyBuckets(new JedisPooled(connection.address(), connection.config(timeoutMs), pool),
                connection.describe(), keyPrefix);
    }

    /** {@code host:port} of the Redis, with " (TLS)" over TLS, for messages. */
    @Override
    public String address() {
        return address;
    }

    /** The Redis key of {@code key}'s bucket at {@code perSecond}. */
    public String redisKey(String key, int perSecond) {
        return keyPrefix + KEY_PART + key + ":" + perSecond;
    }

    /** @throws RuntimeException (a {@code JedisException}) when Redis cannot be reached or fails */
    @Override
    public ConsumptionProbe take(String key, int perSecond) {
        String redisKey = redisKey(key, perSecond);
        return buckets.get(redisKey, name -> proxies.builder()
                .withOptimization(Optimizations.delaying(new DelayParameters(
                        Math.max(1, perSecond / SYNC_SHARE_DIVISOR), SYNC_EVERY)))
                .build(name, () -> KeyBuckets.configuration(perSecond)))
                .tryConsumeAndReturnRemaining(1);
    }

    @Override
    public void close() {
        redis.close();
    }
}
