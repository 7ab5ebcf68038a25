package io.gamewire.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * When shared buckets count as failing: on a clock of the test's own, with shared buckets that
 * answer as told (fast, slow, by throwing).
 */
class KeyRateLimitsBreakerTest {

    private static final Duration SLOW = Duration.ofMillis(50);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final AtomicLong now = new AtomicLong();
    private final Scripted shared = new Scripted();
    private final KeyRateLimits limits = new KeyRateLimits(shared, RETRY, SLOW, now::get);

    @Test
    void aRedisThatAnswersButSlowlyIsLeftAfterThreeSlowCallsAndTriedAgainLater() {
        shared.takes = Duration.ofMillis(80);
        for (int i = 0; i < 3; i++) {
            assertThat(limits.acquire("halo/servers", 100)).isZero();
        }
        assertThat(shared.calls.get()).isEqualTo(3);
        assertThat(limits.sharedNow()).as("three slow calls of three").isFalse();

        for (int i = 0; i < 50; i++) {
            limits.acquire("halo/servers", 100);
        }
        assertThat(shared.calls.get()).as("no event waits for the slow Redis meanwhile").isEqualTo(3);

        shared.takes = Duration.ofMillis(1);
        now.addAndGet(RETRY.plusMillis(1).toNanos());
        assertThat(limits.acquire("halo/servers", 100)).isZero();
        assertThat(shared.calls.get()).as("one trial after the wait").isEqualTo(4);
        assertThat(limits.sharedNow()).as("the fast trial makes them shared again").isTrue();
    }

    @Test
    void oneSlowOrFailedCallAmongFastOnesKeepsTheLimitsShared() {
        shared.takes = Duration.ofMillis(1);
        limits.acquire("halo/servers", 100);
        limits.acquire("halo/servers", 100);
        shared.takes = Duration.ofMillis(500);
        limits.acquire("halo/servers", 100);
        shared.takes = Duration.ofMillis(1);
        shared.failNext = new RuntimeException("connection reset");
        limits.acquire("halo/servers", 100);
        limits.acquire("halo/servers", 100);
        assertThat(limits.sharedNow()).as("2 of the last 5 failed or slow").isTrue();
    }

    @Test
    void takesThatDidNotReachRedisAreNotCounted() {
        shared.takes = Duration.ZERO; // as a token taken from the local copy of the delaying optimization
        for (int i = 0; i < 1000; i++) {
            limits.acquire("halo/servers", 1_000_000);
        }
        shared.takes = Duration.ofMillis(80);
        limits.acquire("halo/servers", 1_000_000);
        limits.acquire("halo/servers", 1_000_000);
        assertThat(limits.sharedNow()).as("two slow calls are fewer than the breaker needs").isTrue();
    }

    @Test
    void anErrorInTheTrialDoesNotLeaveTheBreakerWaitingForIt() {
        shared.takes = Duration.ofMillis(80);
        for (int i = 0; i < 3; i++) {
            limits.acquire("halo/servers", 100);
        }
        assertThat(limits.sharedNow()).isFalse();
        now.addAndGet(RETRY.plusMillis(1).toNanos());
        shared.errorNext = new LinkageError("a Jedis method bucket4j was built against is gone");
        assertThatThrownBy(() -> limits.acquire("halo/servers", 100)).isInstanceOf(LinkageError.class);

        shared.takes = Duration.ofMillis(1);
        now.addAndGet(RETRY.plusMillis(1).toNanos());
        limits.acquire("halo/servers", 100);
        assertThat(limits.sharedNow()).as("the next trial ran and closed the breaker").isTrue();
    }

    /** Shared buckets whose takes last {@link #takes} on the test's clock, and fail once when told. */
    private final class Scripted implements SharedKeyBuckets {
        volatile Duration takes = Duration.ZERO;
        volatile RuntimeException failNext;
        volatile Error errorNext;
        final AtomicInteger calls = new AtomicInteger();
        private final LocalKeyBuckets buckets = new LocalKeyBuckets(now::get);

        @Override
        public ConsumptionProbe take(String key, int perSecond) {
            calls.incrementAndGet();
            now.addAndGet(takes.toNanos());
            if (failNext != null) {
                RuntimeException failure = failNext;
                failNext = null;
                throw failure;
            }
            if (errorNext != null) {
                Error error = errorNext;
                errorNext = null;
                throw error;
            }
            return buckets.take(key, perSecond);
        }

        @Override
        public String address() {
            return "scripted:6379";
        }

        @Override
        public void close() {
        }
    }
}
