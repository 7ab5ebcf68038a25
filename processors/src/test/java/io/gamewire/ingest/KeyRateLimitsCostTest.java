package io.gamewire.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.sinks.kv.RedisConnection;
import io.gamewire.testsupport.RealServices;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.serialization.Mapper;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * What a token costs, on one thread, against the real Redis ({@code -Pservices}): local buckets, the
 * shared buckets as gamewire uses them (Bucket4j's delaying optimization), and Redis asked for every
 * token, the cost the optimization avoids. Prints events per second; figures in the README ("Shared
 * rate limits"). The bounds are loose (3 times, where 18 to 110 times were measured): the cores are shared.
 */
@Tag("services")
class KeyRateLimitsCostTest {

    private static final Duration RUN = Duration.ofSeconds(2);

    private final String prefix = RealServices.uniqueName("gwtest") + ":";
    private final JedisPooled redis = new JedisPooled(RealServices.REDIS_HOST, RealServices.REDIS_PORT);

    @AfterEach
    void removeKeys() {
        redis.keys(prefix + "*").forEach(redis::del);
        redis.close();
    }

    @Test
    void sharedBucketsCostAFractionOfARedisRoundTripPerEvent() {
        RealServices.requireReachable("Redis", RealServices.REDIS_HOST, RealServices.REDIS_PORT);
        int unlimited = 100_000_000; // never refuses: every token is taken
        KeyRateLimits local = new KeyRateLimits();
        KeyRateLimits shared = KeyRateLimits.shared(RedisKeyBuckets.connect(RedisConnection.plaintext(
                RealServices.REDIS_HOST, RealServices.REDIS_PORT, null), 500, prefix), Duration.ofSeconds(5));
        BucketProxy perEvent = Bucket4jJedis.casBasedBuilder(redis).keyMapper(Mapper.STRING)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(1)))
                .build().builder().build(prefix + "per-event", () -> KeyBuckets.configuration(unlimited));
        try {
            double localRate = perSecond(() -> local.acquire("halo/servers", unlimited) == 0);
            double sharedRate = perSecond(() -> shared.acquire("halo/servers", unlimited) == 0);
            double perEventRate = perSecond(() -> perEvent.tryConsume(1));
            // over the limit: a key at 1000/s sent to as fast as one thread can
            double sharedOverLimit = perSecond(() -> shared.acquire("halo/limited", 1000) >= 0);
            System.out.printf("tokens/s on one thread: local %.0f, shared (delaying) %.0f, Redis per token %.0f;"
                    + " shared over its limit (attempts/s) %.0f; shared/local %.2f, shared/per-token %.1f%n",
                    localRate, sharedRate, perEventRate, sharedOverLimit, sharedRate / localRate,
                    sharedRate / perEventRate);
            assertThat(shared.sharedNow()).isTrue();
            assertThat(sharedRate).as("shared buckets against a Redis round trip per token")
                    .isGreaterThan(3 * perEventRate);
            assertThat(sharedOverLimit).as("refusals cost no round trip either").isGreaterThan(3 * perEventRate);
        } finally {
            shared.close();
        }
    }

    private static double perSecond(BooleanSupplier take) {
        // warm up, then count
        long warm = System.nanoTime() + RUN.toNanos() / 4;
        while (System.nanoTime() < warm) {
            take.getAsBoolean();
        }
        long start = System.nanoTime();
        long end = start + RUN.toNanos();
        long count = 0;
        long now;
        do {
            if (take.getAsBoolean()) {
                count++;
            }
            now = System.nanoTime();
        } while (now < end);
        return count * 1e9 / (now - start);
    }
}
