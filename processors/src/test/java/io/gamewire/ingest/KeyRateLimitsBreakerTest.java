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

    private static final Duration RETRY = Duration.ofSeconds(5);

    private final AtomicLong now = new AtomicLong();
    private final Scripted shared = new Scripted();
    private final KeyRateLimits limits = new KeyRateLimits(shared, RETRY, now::get);

    @Test
    void aFailingRedisIsLeftAfterTenFailedCallsAndTriedAgainLater() {
        shared.takes = Duration.ofMillis(1);
        shared.failing = true;
        for (int i = 0; i < 9; i++) {
            assertThat(limits.acquire("halo/servers", 100)).as("taken from the local bucket").isZero();
        }
        assertThat(limits.sharedNow()).as("nine failed calls are fewer than the breaker needs").isTrue();
        limits.acquire("halo/servers", 100);
        assertThat(shared.calls.get()).isEqualTo(10);
        assertThat(limits.sharedNow()).as("ten failed calls of ten").isFalse();

        for (int i = 0; i < 50; i++) {
            limits.acquire("halo/servers", 100);
        }
        assertThat(shared.calls.get()).as("no event waits for the failing Redis meanwhile").isEqualTo(10);

        shared.failing = false;
        now.addAndGet(RETRY.plusMillis(1).toNanos());
        assertThat(limits.acquire("halo/servers", 100)).isZero();
        assertThat(shared.calls.get()).as("one trial after the wait").isEqualTo(11);
        assertThat(limits.sharedNow()).as("the trial's success makes them shared again").isTrue();
    }

    @Test
    void aKeysSlowFirstCallsAndAFailureAmongFastOnesKeepTheLimitsShared() {
        shared.takes = Duration.ofMillis(500); // the first calls: classes loaded, threads waiting on the bucket
        for (int i = 0; i < 12; i++) {
            limits.acquire("halo/servers", 100);
        }
        shared.takes = Duration.ofMillis(1);
        shared.failNext = new RuntimeException("connection reset");
        for (int i = 0; i < 10; i++) {
            limits.acquire("halo/servers", 100);
        }
        assertThat(limits.sharedNow()).as("slow calls are not failures; one failure of 20").isTrue();
    }

    @Test
    void anErrorInTheTrialDoesNotLeaveTheBreakerWaitingForIt() {
        shared.failing = true;
        for (int i = 0; i < 10; i++) {
            limits.acquire("halo/servers", 100);
        }
        assertThat(limits.sharedNow()).isFalse();
        shared.failing = false;
        now.addAndGet(RETRY.plusMillis(1).toNanos());
        shared.errorNext = new LinkageError("a Jedis method bucket4j was built against is gone");
        assertThatThrownBy(() -> limits.acquire("halo/servers", 100)).isInstanceOf(LinkageError.class);

        now.addAndGet(RETRY.plusMillis(1).toNanos());
        limits.acquire("halo/servers", 100);
        assertThat(limits.sharedNow()).as("the next trial ran and closed the breaker").isTrue();
    }

    /** Shared buckets whose takes last {@link #takes} on the test's clock, and fail when told. */
    private final class Scripted implements SharedKeyBuckets {
        volatile Duration takes = Duration.ZERO;
        volatile boolean failing;
        volatile RuntimeException failNext;
        volatile Error errorNext;
        final AtomicInteger calls = new AtomicInteger();
        private final LocalKeyBuckets buckets = new LocalKeyBuckets(now::get);

        @Override
        public ConsumptionProbe take(String key, int perSecond) {
            calls.incrementAndGet();
            now.addAndGet(takes.toNanos());
            if (failing) {
                throw new RuntimeException("connection refused");
            }
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
