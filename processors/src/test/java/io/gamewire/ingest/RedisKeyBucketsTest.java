package io.gamewire.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.sinks.kv.RedisConnection;
import io.gamewire.testsupport.RealServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Shared rate limits on the real Redis ({@code -Pservices}): two {@link KeyRateLimits} stand for two
 * gamewire instances, each with its own connections, under a key prefix of this run's own.
 */
@Tag("services")
class RedisKeyBucketsTest {

    private final String prefix = RealServices.uniqueName("gwtest") + ":";
    private final List<KeyRateLimits> instances = new ArrayList<>();
    private JedisPooled redis;

    @BeforeEach
    void redis() {
        RealServices.requireReachable("Redis", RealServices.REDIS_HOST, RealServices.REDIS_PORT);
        redis = new JedisPooled(RealServices.REDIS_HOST, RealServices.REDIS_PORT);
    }

    @AfterEach
    void removeKeys() {
        instances.forEach(KeyRateLimits::close);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, new ScanParams().match(prefix + "*").count(100));
            page.getResult().forEach(redis::del);
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        redis.close();
    }

    private KeyRateLimits instance() {
        KeyRateLimits limits = KeyRateLimits.shared(RedisKeyBuckets.connect(RedisConnection.plaintext(
                RealServices.REDIS_HOST, RealServices.REDIS_PORT, null), 500, prefix), Duration.ofSeconds(5));
        instances.add(limits);
        return limits;
    }

    @Test
    void twoInstancesShareOneKeysBudget() throws Exception {
        int perSecond = 50;
        long seconds = 3;
        List<Callable<Integer>> senders = List.of(sender(instance(), perSecond, seconds),
                sender(instance(), perSecond, seconds));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        int accepted = 0;
        try {
            for (Future<Integer> one : threads.invokeAll(senders)) {
                accepted += one.get();
            }
        } finally {
            threads.shutdownNow();
        }
        // a full bucket (50) and 3 s of refill (150): 200; two instances each on their own would take 400
        System.out.printf("two instances, %d/s for %d s: %d accepted%n", perSecond, seconds, accepted);
        assertThat(accepted).isBetween(180, 240);
    }

    /** Sends as fast as it may (one attempt every 0.2 ms) for {@code seconds}; returns how many went. */
    private static Callable<Integer> sender(KeyRateLimits limits, int perSecond, long seconds) {
        return () -> {
            int accepted = 0;
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            while (System.nanoTime() < end) {
                if (limits.acquire("halo/servers", perSecond) == 0) {
                    accepted++;
                }
                LockSupport.parkNanos(200_000);
            }
            return accepted;
        };
    }

    @Test
    void theBucketIsInRedisUnderThePrefixAndExpiresOnceFullAgain() {
        KeyRateLimits limits = instance();
        for (int i = 0; i < 20; i++) {
            limits.acquire("halo/servers", 5);
        }
        String key = prefix + RedisKeyBuckets.KEY_PART + "halo/servers:5";
        assertThat(redis.exists(key)).as("Redis key %s", key).isTrue();
        // empty now: full again after 1 s, kept a second more
        assertThat(redis.pttl(key)).isBetween(1L, 2_100L);
        assertThat(limits.sharedNow()).isTrue();
    }

    @Test
    void aKeyWithoutALimitNeverTouchesRedis() {
        KeyRateLimits limits = instance();
        for (int i = 0; i < 100; i++) {
            assertThat(limits.acquire("halo/unlimited", 0)).isZero();
        }
        assertThat(redis.keys(prefix + "*")).isEmpty();
    }

    @Test
    void aChangedRateHoldsAtOnceOnEveryInstance() {
        KeyRateLimits one = instance();
        KeyRateLimits two = instance();
        int used = 0;
        for (int i = 0; i < 10; i++) {
            used += one.acquire("halo/servers", 5) == 0 ? 1 : 0;
            used += two.acquire("halo/servers", 5) == 0 ? 1 : 0;
        }
        // 5, and each instance may have taken a tenth of the rate (at least one) ahead of Redis
        assertThat(used).as("events the two instances accepted at 5/s").isBetween(5, 7);

        // a reload raises the rate to 100/s
        int accepted = 0;
        for (int i = 0; i < 60; i++) {
            accepted += (i % 2 == 0 ? one : two).acquire("halo/servers", 100) == 0 ? 1 : 0;
        }
        assertThat(accepted).isEqualTo(60);
    }
}
