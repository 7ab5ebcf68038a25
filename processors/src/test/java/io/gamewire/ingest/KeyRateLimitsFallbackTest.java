package io.gamewire.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gamewire.sinks.kv.RedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Shared rate limits whose Redis cannot be reached: each instance limits on its own, without waiting. */
class KeyRateLimitsFallbackTest {

    private KeyRateLimits limits;

    @AfterEach
    void close() {
        limits.close();
    }

    @Test
    void anUnreachableRedisLeavesEachInstanceLimitingOnItsOwn() throws IOException {
        limits = KeyRateLimits.shared(RedisKeyBuckets.connect(RedisConnection.plaintext("127.0.0.1", closedPort(), null), 200, "gwtest:"),
                Duration.ofMinutes(1));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        limits.registerIn(meters);

        long start = System.nanoTime();
        assertThat(limits.acquire("halo/servers", 5)).as("the event that found Redis failing").isZero();
        Duration firstTook = Duration.ofNanos(System.nanoTime() - start);
        int accepted = 1;
        for (int i = 0; i < 10_000; i++) {
            accepted += limits.acquire("halo/servers", 5) == 0 ? 1 : 0;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // the local bucket's 5, and what it refilled meanwhile (5/s)
        assertThat(accepted).isBetween(5, 5 + (int) Math.ceil(took.toMillis() * 5 / 1000.0));
        // only the first events tried Redis (the breaker opens on 10 calls); the others did not wait for it
        assertThat(took.minus(firstTook)).isLessThan(Duration.ofSeconds(1));
        assertThat(limits.sharedNow()).isFalse();
        assertThat(meters.get("gamewire.rate_limits.shared").gauge().value()).isZero();
    }

    @Test
    void localLimitsNeverAskRedis() {
        limits = new KeyRateLimits();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        limits.registerIn(meters);
        assertThat(limits.acquire("halo/servers", 1)).isZero();
        assertThat(limits.sharedNow()).isFalse();
        assertThat(meters.get("gamewire.rate_limits.shared").gauge().value()).isZero();
    }

    /** A port nothing listens on: one that was free a moment ago. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
